"""Payments (PAY1-PAY4): tenders, the payment state machine, the provider interface with a
built-in stateless test provider, webhook verification and the card-data guard.

Card numbers never touch Omni: cards are tokenized by the provider in the shopper's browser
or at the terminal, and Omni only ever sees provider tokens and references.
"""
