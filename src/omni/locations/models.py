"""Tables owned by the locations module."""
