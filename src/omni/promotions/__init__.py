"""Promotions: the one engine that computes discounts for every channel (CH4).

The pure engine: ``domain`` holds the promotion and basket values, ``rules`` what each
kind of promotion takes off, ``engine.evaluate`` picks the best allowed combination and
``results`` is what it answers. Around it: storage (``models``, ``codec``), the admin use
cases (``service``, ``coupons``), race-safe coupon counting (``redemption``) and the HTTP
surface (``routes``). Other modules call ``omni.promotions.api`` only. See
docs/promotions.md.
"""
