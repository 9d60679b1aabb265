"""Home goods lines, and the kits (bundles) made of their products."""

from __future__ import annotations

from dataclasses import dataclass

from omni.demo.data.assortment import BEDDING, DECOR, KITCHEN, ONE_SIZE, SCENTS, TOWELS, Line

WASH_WARM = "Machine wash warm, tumble dry low."
HAND_WASH = "Hand wash, dry immediately."
WIPE = "Wipe clean with a soft cloth."
DISHWASHER = "Dishwasher and microwave safe."
BED_SIZES = ("Twin", "Full/Queen", "King")
SHEET_SIZES = ("Twin", "Full", "Queen", "King", "California King")
HOME = "Harbor & Pine Home"

HOME_LINES: tuple[Line, ...] = (
    # The first names of duvet covers and pillowcases pair up as bedding sets (see KITS).
    Line("DUV", "duvet-covers", (
        "Percale Duvet Cover", "Sateen Duvet Cover", "Linen Duvet Cover",
        "Washed Cotton Duvet Cover", "Flannel Duvet Cover", "Jersey Duvet Cover",
        "Waffle Duvet Cover", "Seersucker Duvet Cover"),
        (14800, 16800, 19800, 24800), 1300, ("400-thread-count cotton percale",
        "300-thread-count cotton sateen", "French flax linen", "stonewashed cotton",
        "brushed cotton flannel", "cotton jersey", "cotton waffle", "cotton seersucker"),
        WASH_WARM, BED_SIZES, BEDDING, (3, 5), size_step_cents=2000, tax_class="standard",
        brand=HOME, blurb="Cool, crisp, and softer with every wash."),
    Line("PLC", "pillowcases", (
        "Percale Pillowcase", "Sateen Pillowcase", "Linen Pillowcase",
        "Washed Cotton Pillowcase", "Mulberry Silk Pillowcase"),
        (2400, 2900, 3400, 5900), 200, ("400-thread-count cotton percale",
        "300-thread-count cotton sateen", "French flax linen", "22-momme mulberry silk"),
        WASH_WARM, ("Standard", "King"), BEDDING, (3, 5), size_step_cents=500,
        tax_class="standard", brand=HOME, blurb="Sold singly; pairs with our duvet covers."),
    Line("SHT", "sheets", (
        "Percale Sheet Set", "Sateen Sheet Set", "Linen Sheet Set", "Flannel Sheet Set",
        "Organic Cotton Sheet Set", "Lyocell Sheet Set", "Jersey Sheet Set"),
        (12800, 14800, 17800, 22800), 1600, ("cotton percale", "cotton sateen",
        "French flax linen", "Portuguese cotton flannel", "eucalyptus lyocell"), WASH_WARM,
        SHEET_SIZES, BEDDING, (2, 4), size_step_cents=1500, tax_class="standard", brand=HOME,
        blurb="Fitted sheet, flat sheet and two pillowcases."),
    Line("THR", "blankets-throws", (
        "Chunky Knit Throw", "Wool Plaid Throw", "Cotton Waffle Blanket", "Faux Fur Throw",
        "Alpaca Throw", "Linen Quilt", "Cashmere Throw", "Cotton Quilt"),
        (8800, 12800, 16800, 19800), 1400, ("merino wool", "lambswool", "cotton waffle",
        "baby alpaca"), HAND_WASH, ONE_SIZE, BEDDING, (2, 4), tax_class="standard", brand=HOME,
        blurb="Over the sofa arm by day, over you by night."),
    Line("TWL", "towels", (
        "Turkish Cotton Towel", "Waffle Towel", "Organic Plush Towel", "Linen Towel",
        "Quick-Dry Towel"),
        (1400, 1800, 2400, 3200), 450, ("Turkish cotton", "cotton waffle", "organic cotton terry",
        "stonewashed linen"), WASH_WARM, ("Washcloth", "Hand", "Bath", "Bath Sheet"), TOWELS,
        (3, 5), size_step_cents=800, tax_class="standard", brand=HOME,
        blurb="Thirsty loops, quick to dry."),
    Line("BTH", "bath-accessories", (
        "Cotton Bath Mat", "Waffle Shower Curtain", "Cotton Bathrobe", "Teak Bath Stool",
        "Ceramic Soap Dish"),
        (1800, 3900, 6800, 8900), 800, ("cotton", "cotton waffle", "teak", "stoneware"),
        WASH_WARM, ONE_SIZE, TOWELS, (1, 3), tax_class="standard", brand=HOME,
        blurb="The small upgrades that make a bathroom feel finished.",
        name_prices={"Cotton Bath Mat": 3400, "Waffle Shower Curtain": 5800,
                     "Cotton Bathrobe": 8900, "Teak Bath Stool": 12800, "Ceramic Soap Dish": 1800}),
    Line("COK", "cookware", (
        "Cast Iron Skillet", "Carbon Steel Frying Pan", "Enameled Dutch Oven",
        "Stainless Saucepan", "Nonstick Fry Pan", "Stainless Sauté Pan"),
        (3900, 5900, 8900, 12900, 19900), 2400, ("pre-seasoned cast iron", "carbon steel",
        "enameled cast iron", "tri-ply stainless steel"), HAND_WASH,
        ('8"', '10"', '12"'), KITCHEN, (1, 3), size_step_cents=1000, tax_class="standard",
        brand="Kettle & Co.", blurb="Heats evenly, goes from stove to oven to table.",
        name_prices={"Cast Iron Skillet": 3900, "Carbon Steel Frying Pan": 5900,
                     "Enameled Dutch Oven": 19900, "Stainless Saucepan": 8900,
                     "Nonstick Fry Pan": 4900, "Stainless Sauté Pan": 12900}),
    Line("DIN", "dinnerware", (
        "Stoneware Dinner Plate", "Stoneware Salad Plate", "Stoneware Cereal Bowl",
        "Stoneware Mug", "Stoneware Pasta Bowl", "Porcelain Espresso Cup",
        "Recycled Glass Tumbler", "Stemless Wine Glass", "Ceramic Serving Platter",
        "Stoneware Salad Bowl", "Highball Glass", "Speckled Latte Mug"),
        (1200, 1400, 1600, 1800, 3900), 500, ("reactive-glaze stoneware", "porcelain",
        "recycled glass"), DISHWASHER, ONE_SIZE, KITCHEN, (2, 4), tax_class="standard",
        brand=HOME, blurb="Made to be used every day, and stacked, and used again.",
        name_prices={"Stoneware Dinner Plate": 1800, "Stoneware Salad Plate": 1400,
                     "Stoneware Cereal Bowl": 1400, "Stoneware Mug": 1600,
                     "Stoneware Pasta Bowl": 1800, "Porcelain Espresso Cup": 1200,
                     "Recycled Glass Tumbler": 1200, "Stemless Wine Glass": 1400,
                     "Ceramic Serving Platter": 4800, "Stoneware Salad Bowl": 5800,
                     "Highball Glass": 1200, "Speckled Latte Mug": 1800}),
    Line("KLN", "kitchen-linens", (
        "Linen Tea Towel Set", "Canvas Apron", "Linen Napkin Set", "Linen Tablecloth",
        "Quilted Oven Mitt", "Linen Placemat Set"),
        (1800, 2400, 3900, 6800), 300, ("stonewashed linen", "cotton canvas"), WASH_WARM,
        ONE_SIZE, BEDDING, (2, 4), tax_class="standard", brand=HOME,
        blurb="Washed linen that looks better rumpled.",
        name_prices={"Linen Tea Towel Set": 2400, "Canvas Apron": 3900,
                     "Linen Napkin Set": 3400, "Linen Tablecloth": 8900,
                     "Quilted Oven Mitt": 1800, "Linen Placemat Set": 3900}),
    Line("TLS", "kitchen-tools", (
        "Olivewood Cutting Board", "Chef's Knife", "Marble Mortar & Pestle",
        "Glass French Press", "Pour-Over Coffee Set", "Beech Salt & Pepper Mills",
        "Wooden Spoon Set", "Ceramic Pour-Over Dripper", "Walnut Serving Board"),
        (2400, 3400, 4900, 6900, 11900), 700, ("olivewood", "German steel", "marble",
        "borosilicate glass", "beech"), HAND_WASH, size_option="size",
        tax_class="standard", brand="Kettle & Co.", blurb="Tools that earn their drawer space.",
        name_prices={"Olivewood Cutting Board": 4900, "Chef's Knife": 11900,
                     "Marble Mortar & Pestle": 3400, "Glass French Press": 3900,
                     "Pour-Over Coffee Set": 6900, "Beech Salt & Pepper Mills": 4800,
                     "Wooden Spoon Set": 2400, "Ceramic Pour-Over Dripper": 2900,
                     "Walnut Serving Board": 8900}),
    Line("CDL", "candles", (
        "Soy Candle", "Three-Wick Candle", "Travel Tin Candle", "Reed Diffuser", "Room Spray",
        "Ceramic Vessel Candle"),
        (1800, 3400, 4800, 5800), 450, ("soy-coconut wax", "fragrance oils"),
        "Trim the wick to 1/4 inch before each burn.", ("8 oz", "14 oz"), SCENTS, (3, 5),
        palette_option="scent", size_step_cents=1200, tax_class="standard", brand=HOME,
        blurb="Hand-poured in small batches, clean burn.",
        name_prices={"Soy Candle": 3400, "Three-Wick Candle": 5800, "Travel Tin Candle": 1800,
                     "Reed Diffuser": 4800, "Room Spray": 2400, "Ceramic Vessel Candle": 6800}),
    Line("CSH", "cushions", (
        "Linen Pillow Cover", "Velvet Pillow Cover", "Boucle Pillow Cover",
        "Striped Cotton Pillow Cover", "Embroidered Pillow Cover", "Wool Pillow Cover",
        "Quilted Pillow Cover"),
        (3400, 3900, 4800, 5800), 350, ("linen", "cotton velvet", "wool boucle", "cotton"),
        "Remove insert; machine wash cold.", ("18 x 18 in", "20 x 20 in", "14 x 24 in"),
        BEDDING, (2, 4), size_step_cents=400, tax_class="standard", brand=HOME,
        blurb="An easy way to change a room with the seasons."),
    Line("VAS", "vases-planters", (
        "Ceramic Bud Vase", "Glass Hurricane", "Stoneware Planter", "Seagrass Basket",
        "Brass Candle Holder", "Terracotta Planter", "Woven Storage Basket"),
        (1800, 2900, 4800, 6800), 900, ("stoneware", "mouth-blown glass", "seagrass", "brass"),
        WIPE, ("Small", "Medium", "Large"), DECOR, (1, 3), palette_option="finish",
        size_step_cents=1000, tax_class="standard", brand=HOME,
        blurb="Sculptural on its own, better with a stem or two.",
        name_prices={"Ceramic Bud Vase": 2400, "Glass Hurricane": 3900,
                     "Stoneware Planter": 3400, "Seagrass Basket": 4800,
                     "Brass Candle Holder": 2900, "Terracotta Planter": 1800,
                     "Woven Storage Basket": 5800}),
    Line("RUG", "rugs", (
        "Jute Rug", "Wool Flatweave Rug", "Hand-Knotted Wool Rug", "Washable Cotton Rug"),
        (6900, 12900, 29900, 49900), 6000, ("jute", "New Zealand wool", "cotton"),
        "Vacuum regularly; spot clean.", ("2' x 3'", "5' x 8'", "8' x 10'"), DECOR, (1, 3),
        size_step_cents=15000, tax_class="standard", brand=HOME,
        blurb="Soft underfoot, tough enough for a hallway."),
    Line("LMP", "lighting", (
        "Ceramic Table Lamp", "Linen-Shade Floor Lamp", "Brass Task Lamp", "Rattan Pendant"),
        (12900, 16900, 19900, 24900), 3500, ("stoneware", "linen", "brass", "rattan"), WIPE,
        ONE_SIZE, DECOR, (1, 3), palette_option="finish", tax_class="standard", brand=HOME,
        blurb="Warm light, bulb included."),
    Line("MIR", "wall-decor", (
        "Round Wall Mirror", "Framed Botanical Print", "Arched Floor Mirror"),
        (8900, 14900, 29900), 5000, ("iron frame", "oak frame", "archival paper"), WIPE,
        ("Small", "Medium", "Large"), DECOR, (1, 2), palette_option="finish",
        size_step_cents=4000, tax_class="standard", brand=HOME,
        blurb="Hangs straight the first time: hardware included.",
        name_prices={"Round Wall Mirror": 14900, "Framed Botanical Print": 8900,
                     "Arched Floor Mirror": 29900}),
)  # fmt: skip


@dataclass(frozen=True)
class Kit:
    """A bundle product: one variant per option combination its components share."""

    name: str
    category: str
    # (component product name, quantity, the component's size: by kit size, fixed, or
    # None for a product without sizes). Components share the kit's colors.
    components: tuple[tuple[str, int, dict[str, str] | str | None], ...]
    sizes: tuple[str, ...] = ()
    discount_percent: int = 10


KITS = (
    Kit("Percale Bedding Set", "bedding-sets", (
        ("Percale Duvet Cover", 1, {"Full/Queen": "Full/Queen", "King": "King"}),
        ("Percale Pillowcase", 2, {"Full/Queen": "Standard", "King": "King"})),
        ("Full/Queen", "King")),
    Kit("Sateen Bedding Set", "bedding-sets", (
        ("Sateen Duvet Cover", 1, {"Full/Queen": "Full/Queen", "King": "King"}),
        ("Sateen Pillowcase", 2, {"Full/Queen": "Standard", "King": "King"})),
        ("Full/Queen", "King")),
    Kit("Linen Bedding Set", "bedding-sets", (
        ("Linen Duvet Cover", 1, {"Full/Queen": "Full/Queen", "King": "King"}),
        ("Linen Pillowcase", 2, {"Full/Queen": "Standard", "King": "King"})),
        ("Full/Queen", "King")),
    Kit("Turkish Cotton Towel Set", "towels", (
        ("Turkish Cotton Towel", 2, "Bath"), ("Turkish Cotton Towel", 2, "Hand"))),
    Kit("Stoneware Place Setting", "dinnerware", (
        ("Stoneware Dinner Plate", 1, None), ("Stoneware Salad Plate", 1, None),
        ("Stoneware Cereal Bowl", 1, None), ("Stoneware Mug", 1, None))),
)  # fmt: skip
