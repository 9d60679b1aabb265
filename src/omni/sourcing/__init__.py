"""Order sourcing (ORD4): which location(s) fulfil an order, and why — pure rules."""
