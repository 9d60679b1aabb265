"""Taxes: rates per region and tax class, inclusive or exclusive prices (CH5).

``domain`` computes a tax quote from a table of rates (pure), and ``TaxProvider`` is the
seam where an external tax engine plugs in instead. Regions and rates are stored here
(``models``, ``service``, ``routes``); other modules call ``omni.taxes.api`` only. See
docs/promotions.md (taxes).
"""
