"""Pricing: price lists and the one price-resolution rule every channel uses (CH3).

Other modules call ``omni.pricing.api`` only.
"""
