"""Catalog (PIM): products, variants, categories, media, channel publication, bundles (CH2).

Other modules call ``omni.catalog.api`` only.
"""
