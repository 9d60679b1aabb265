"""Promotions: the one engine that computes discounts for every channel (CH4).

Pure code: ``domain`` holds the promotion and basket values, ``rules`` what each kind of
promotion takes off, ``engine.evaluate`` picks the best allowed combination and
``results`` is what it answers. Storage, coupon usage counting and the HTTP surface live
around it, never inside it. See docs/promotions.md.
"""
