"""Tables owned by the channels module."""
