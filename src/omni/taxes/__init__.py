"""Taxes: rates per region and tax class, inclusive or exclusive prices (CH5).

Pure code: ``domain`` computes a tax quote from a table of rates, and ``TaxProvider`` is
the seam where an external tax engine plugs in instead. See docs/promotions.md (taxes).
"""
