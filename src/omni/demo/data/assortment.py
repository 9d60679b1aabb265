"""The shape of the assortment: category tree, size runs, palettes, and what a product
line is. The lines themselves are in ``apparel.py`` and ``home.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

RETAILER = "Harbor & Pine"
HOUSE_BRAND = "Harbor & Pine"
IMAGE_HOST = "https://img.demo.omni.dev"  # a fictitious host the demo owns: never a real CDN

# (slug, name, parent slug). Parents come before their children.
CATEGORY_TREE: tuple[tuple[str, str, str | None], ...] = (
    ("women", "Women", None),
    ("women-tops", "Tops", "women"),
    ("women-tees", "T-Shirts & Tanks", "women-tops"),
    ("women-shirts", "Shirts & Blouses", "women-tops"),
    ("women-sweaters", "Sweaters & Cardigans", "women-tops"),
    ("women-bottoms", "Bottoms", "women"),
    ("women-jeans", "Jeans", "women-bottoms"),
    ("women-pants", "Pants", "women-bottoms"),
    ("women-skirts", "Skirts", "women-bottoms"),
    ("women-dresses", "Dresses", "women"),
    ("women-outerwear", "Coats & Jackets", "women"),
    ("women-activewear", "Activewear", "women"),
    ("women-shoes", "Shoes", "women"),
    ("men", "Men", None),
    ("men-tops", "Tops", "men"),
    ("men-tees", "T-Shirts", "men-tops"),
    ("men-shirts", "Shirts", "men-tops"),
    ("men-sweaters", "Sweaters", "men-tops"),
    ("men-bottoms", "Bottoms", "men"),
    ("men-jeans", "Jeans", "men-bottoms"),
    ("men-pants", "Chinos & Pants", "men-bottoms"),
    ("men-shorts", "Shorts", "men-bottoms"),
    ("men-outerwear", "Coats & Jackets", "men"),
    ("men-activewear", "Activewear", "men"),
    ("men-shoes", "Shoes", "men"),
    ("kids", "Kids", None),
    ("kids-clothing", "Clothing", "kids"),
    ("kids-shoes", "Shoes", "kids"),
    ("sleep-lounge", "Sleep & Lounge", None),
    ("accessories", "Accessories", None),
    ("bags", "Bags", "accessories"),
    ("hats-scarves", "Hats & Scarves", "accessories"),
    ("small-accessories", "Belts, Socks & More", "accessories"),
    ("home", "Home", None),
    ("bedding", "Bedding", "home"),
    ("duvet-covers", "Duvet Covers", "bedding"),
    ("sheets", "Sheets", "bedding"),
    ("pillowcases", "Pillowcases", "bedding"),
    ("blankets-throws", "Blankets & Throws", "bedding"),
    ("bedding-sets", "Bedding Sets", "bedding"),
    ("bath", "Bath", "home"),
    ("towels", "Towels", "bath"),
    ("bath-accessories", "Bath Accessories", "bath"),
    ("kitchen", "Kitchen & Dining", "home"),
    ("cookware", "Cookware", "kitchen"),
    ("dinnerware", "Dinnerware & Glassware", "kitchen"),
    ("kitchen-linens", "Table & Kitchen Linens", "kitchen"),
    ("kitchen-tools", "Tools & Coffee", "kitchen"),
    ("decor", "Decor", "home"),
    ("candles", "Candles & Scents", "decor"),
    ("cushions", "Pillows & Cushions", "decor"),
    ("vases-planters", "Vases & Planters", "decor"),
    ("rugs", "Rugs", "decor"),
    ("lighting", "Lighting", "decor"),
    ("wall-decor", "Mirrors & Wall Decor", "decor"),
    # Merchandising collections: products sit here as well as in their type's category.
    ("new-arrivals", "New Arrivals", None),
    ("sale", "Sale", None),
    ("gifts", "Gifts", None),
)

ALPHA = ("XS", "S", "M", "L", "XL", "XXL")
ALPHA_W = ("XS", "S", "M", "L", "XL")
ALPHA_M = ("S", "M", "L", "XL", "XXL")
WOMEN_NUMERIC = ("0", "2", "4", "6", "8", "10", "12", "14", "16")
WOMEN_DENIM = ("24", "25", "26", "27", "28", "29", "30", "31", "32")
MEN_WAIST = ("28", "30", "32", "34", "36", "38", "40")
MEN_WAIST_INSEAM = (
    "30x30", "30x32", "31x32", "32x30", "32x32", "32x34", "34x30", "34x32", "36x32", "38x32",
)  # fmt: skip
WOMEN_SHOES = ("5", "6", "6.5", "7", "7.5", "8", "8.5", "9", "9.5", "10", "11")
MEN_SHOES = ("7", "8", "8.5", "9", "9.5", "10", "10.5", "11", "11.5", "12", "13")
KIDS = ("2T", "3T", "4T", "5", "6", "7", "8", "10", "12")
KIDS_SHOES = ("10K", "11K", "12K", "13K", "1Y", "2Y", "3Y")
ONE_SIZE = ("One Size",)

BASICS = (
    "White", "Black", "Heather Grey", "Navy", "Olive", "Oatmeal", "Rust", "Sky Blue",
    "Forest Green", "Burgundy", "Charcoal", "Sand", "Ecru Stripe", "Dusty Rose",
)  # fmt: skip
SHIRTING = ("White", "Light Blue", "Blue Stripe", "Pink", "Navy", "Sage", "Ecru", "Black")
KNITS = ("Oatmeal", "Charcoal", "Navy", "Camel", "Cream", "Forest Green", "Burgundy", "Black")
DENIM = ("Light Wash", "Medium Wash", "Dark Rinse", "Black", "Ecru")
TWILL = ("Khaki", "Navy", "Olive", "Stone", "Black", "Dark Brown")
OUTER = ("Black", "Camel", "Navy", "Olive", "Tan", "Charcoal", "Rust")
SHOE_COLORS = ("Black", "Tan", "White", "Cognac", "Navy", "Bone", "Dark Brown")
ACTIVE = ("Black", "Navy", "Slate", "Sage", "Plum", "Heather Grey")
BEDDING = ("White", "Ivory", "Fog", "Sage", "Navy", "Blush", "Charcoal", "Oat", "Terracotta")
TOWELS = ("White", "Fog", "Sage", "Navy", "Sand", "Slate", "Blush", "Olive")
KITCHEN = ("Matte Black", "Cream", "Sage", "Cobalt", "Graphite", "Speckled White", "Red")
DECOR = ("Natural", "Black", "White", "Terracotta", "Brass", "Smoke Glass", "Walnut")
SCENTS = ("Fig & Cedar", "Sea Salt & Sage", "Amber & Oud", "Fresh Linen", "Blood Orange",
          "Tomato Leaf", "Smoked Birch")  # fmt: skip


@dataclass(frozen=True)
class Line:
    """A product line: products of one kind that share sizes, palette, price points."""

    code: str  # SKU stem
    category: str  # leaf category slug
    names: tuple[str, ...]
    prices: tuple[int, ...]  # price points in cents; one is picked per product
    weight_grams: int
    materials: tuple[str, ...]
    care: str
    sizes: tuple[str, ...] = ()
    palette: tuple[str, ...] = ()
    colors: tuple[int, int] = (0, 0)  # how many of the palette a product comes in
    palette_option: str = "color"
    size_option: str = "size"
    # Added to the price per step up the size run (a king duvet costs more than a twin).
    size_step_cents: int = 0
    fits: tuple[str, ...] = ()
    audience: str | None = None  # women | men | kids: prefixed to names and handles
    tax_class: str = "clothing"
    brand: str = HOUSE_BRAND
    blurb: str = ""
    # Price points of products whose price the name decides (a platter is not a plate).
    name_prices: dict[str, int] = field(default_factory=dict)


def price_label(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"
