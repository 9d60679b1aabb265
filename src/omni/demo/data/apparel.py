"""Apparel, shoes and accessories lines."""

from __future__ import annotations

# a.ALPHA, a.BASICS…: the size runs and palettes the lines draw from.
from omni.demo.data import assortment as a
from omni.demo.data.assortment import Line

MACHINE_WASH = "Machine wash cold, tumble dry low."
HAND_WASH = "Hand wash cold, lay flat to dry."
DRY_CLEAN = "Dry clean only."
SPOT_CLEAN = "Spot clean with a damp cloth."

APPAREL_LINES: tuple[Line, ...] = (
    Line("WTE", "women-tees", (
        "Everyday Crew Tee", "Organic Cotton V-Neck Tee", "Slub Jersey Pocket Tee",
        "Boxy Cropped Tee", "Ribbed Tank", "Long-Sleeve Breton Tee", "Supima Scoop-Neck Tee",
        "Linen-Blend Tee", "Henley Tee", "Muscle Tee", "Waffle-Knit Long-Sleeve Tee",
        "Cotton Cami", "Cropped Ringer Tee", "Puff-Sleeve Tee"),
        (2495, 2995, 3400, 3900), 160, ("100% organic cotton", "Supima cotton",
        "cotton-modal jersey", "linen-cotton blend"), MACHINE_WASH, a.ALPHA, a.BASICS, (2, 3),
        fits=("Relaxed", "Regular", "Slim"), audience="women",
        blurb="A soft, breathable layer you will reach for every day."),
    Line("WSH", "women-shirts", (
        "Relaxed Linen Shirt", "Poplin Button-Down", "Silk-Blend Blouse", "Chambray Shirt",
        "Flannel Shirt", "Oversized Oxford Shirt", "Tie-Front Blouse", "Utility Shirt",
        "Pleated-Sleeve Blouse", "Linen Popover"),
        (4900, 5900, 6900, 7900, 8900), 220, ("European linen", "cotton poplin",
        "silk-cotton blend", "brushed cotton flannel"), MACHINE_WASH, a.ALPHA_W, a.SHIRTING, (2, 3),
        fits=("Relaxed", "Classic"), audience="women",
        blurb="Crisp enough for the office, easy enough for the weekend."),
    Line("WSW", "women-sweaters", (
        "Merino Crewneck Sweater", "Cashmere V-Neck", "Cable-Knit Cardigan",
        "Cotton Fisherman Sweater", "Alpaca-Blend Turtleneck", "Waffle-Knit Henley",
        "Mohair-Blend Cardigan", "Chunky Rollneck", "Cropped Cardigan",
        "Cotton Sweater Vest"),
        (6900, 8900, 9800, 12800, 14900), 380, ("extra-fine merino wool", "Grade-A cashmere",
        "organic cotton", "baby alpaca blend"), HAND_WASH, a.ALPHA_W, a.KNITS, (2, 3),
        fits=("Relaxed", "Regular"), audience="women",
        blurb="Knitted to keep its shape season after season."),
    Line("WJN", "women-jeans", (
        "High-Rise Straight Jean", "Slim Ankle Jean", "Wide-Leg Jean", "Bootcut Jean",
        "Relaxed Mom Jean", "Curvy Skinny Jean", "Barrel-Leg Jean", "Flare Jean"),
        (7800, 8800, 9800), 620, ("12 oz rigid denim", "stretch denim", "organic cotton denim"),
        MACHINE_WASH, a.WOMEN_DENIM, a.DENIM, (1, 2), fits=("High-rise", "Mid-rise"),
        audience="women", blurb="Denim that softens and fades with you."),
    Line("WPT", "women-pants", (
        "Wide-Leg Linen Pant", "Tailored Trouser", "Pull-On Jogger", "Cropped Chino",
        "Corduroy Trouser", "Ponte Pant", "Utility Cargo Pant"),
        (5900, 6900, 7800, 8900), 420, ("linen", "stretch twill", "cotton corduroy",
        "ponte knit"), MACHINE_WASH, a.WOMEN_NUMERIC, a.TWILL, (1, 2),
        fits=("Relaxed", "Tailored"), audience="women",
        blurb="A clean line and pockets that actually hold things."),
    Line("WSK", "women-skirts", (
        "Midi Slip Skirt", "Pleated Midi Skirt", "Denim Mini Skirt", "Linen Wrap Skirt"),
        (5900, 6900, 7800), 300, ("satin", "recycled polyester", "denim", "linen"),
        MACHINE_WASH, a.ALPHA_W, a.BASICS, (1, 3), audience="women",
        blurb="Moves well and pairs with everything."),
    Line("WDR", "women-dresses", (
        "Linen Shirt Dress", "Wrap Midi Dress", "Knit Sweater Dress", "Tiered Maxi Dress",
        "Poplin Shift Dress", "Satin Slip Dress", "T-Shirt Dress", "Smocked Sundress",
        "Puff-Sleeve Mini Dress", "Linen Midi Dress", "Ribbed Knit Midi Dress"),
        (6800, 7800, 9800, 12800), 380, ("linen", "cotton poplin", "merino knit", "satin",
        "cotton jersey"), MACHINE_WASH, a.ALPHA_W, a.BASICS, (1, 3),
        fits=("Relaxed", "Fitted"), audience="women",
        blurb="One piece, done: dress it up or down."),
    Line("WOW", "women-outerwear", (
        "Wool-Blend Car Coat", "Quilted Liner Jacket", "Waxed Cotton Field Jacket",
        "Classic Trench Coat", "Recycled Down Puffer", "Denim Trucker Jacket",
        "Fleece Half-Zip", "Packable Rain Shell", "Barn Jacket", "Cropped Wool Jacket"),
        (9800, 14800, 19800, 24800), 900, ("Italian wool blend", "waxed cotton canvas",
        "recycled nylon", "cotton gabardine"), DRY_CLEAN, a.ALPHA_W, a.OUTER, (1, 2),
        fits=("Relaxed", "Regular"), audience="women", tax_class="clothing",
        blurb="Built for the commute, the weekend, and the weather in between."),
    Line("WAC", "women-activewear", (
        "High-Rise Legging", "Longline Sports Bra", "Running Short", "Half-Zip Pullover",
        "Flare Yoga Pant", "Tech Tank", "Zip-Front Jacket", "Bike Short"),
        (3900, 4900, 6800, 7800), 200, ("recycled nylon-spandex", "moisture-wicking jersey"),
        MACHINE_WASH, a.ALPHA_W, a.ACTIVE, (2, 3), fits=("Compressive", "Regular"),
        audience="women", blurb="Sweat-wicking, squat-proof, pocketed."),
    Line("WSO", "women-shoes", (
        "Leather Ballet Flat", "Canvas Low-Top Sneaker", "Suede Chelsea Boot",
        "Leather Loafer", "Leather Slide Sandal", "Knit Runner", "Block-Heel Mule",
        "Lace-Up Hiking Boot", "Leather Ankle Boot", "Canvas Espadrille"),
        (5900, 8900, 12800, 16800, 18900), 700, ("full-grain leather", "suede", "organic canvas",
        "recycled knit"), SPOT_CLEAN, a.WOMEN_SHOES, a.SHOE_COLORS, (1, 2), audience="women",
        brand="North Shore Footwear", blurb="Cushioned footbed, resoleable construction."),
    Line("MTE", "men-tees", (
        "Heavyweight Pocket Tee", "Everyday Crew Tee", "Organic Cotton V-Neck",
        "Slub Henley", "Long-Sleeve Waffle Tee", "Supima Tee", "Garment-Dyed Tee",
        "Striped Breton Tee", "Ringer Tee", "Cotton Tank", "Heavyweight Long-Sleeve Tee",
        "Pique Polo"),
        (2495, 2995, 3400, 3900), 200, ("100% organic cotton", "Supima cotton",
        "heavyweight cotton jersey"), MACHINE_WASH, a.ALPHA_M, a.BASICS, (2, 3),
        fits=("Standard", "Slim"), audience="men",
        blurb="A proper tee: substantial, soft, and it keeps its collar."),
    Line("MSH", "men-shirts", (
        "Oxford Button-Down", "Linen Camp Shirt", "Flannel Work Shirt", "Chambray Shirt",
        "Poplin Dress Shirt", "Corduroy Overshirt", "Seersucker Shirt",
        "Denim Western Shirt", "Linen Band-Collar Shirt", "Twill Overshirt"),
        (5900, 6900, 7900, 8900), 260, ("cotton oxford", "European linen", "brushed flannel",
        "cotton chambray"), MACHINE_WASH, a.ALPHA_M, a.SHIRTING, (2, 3),
        fits=("Standard", "Slim"), audience="men",
        blurb="Tailored through the body, with a collar that stays put."),
    Line("MSW", "men-sweaters", (
        "Merino Crewneck", "Lambswool Shetland Sweater", "Cotton Quarter-Zip",
        "Cable-Knit Fisherman Sweater", "Cashmere Hoodie", "Shawl-Collar Cardigan",
        "Merino Quarter-Zip", "Cotton Cardigan"),
        (7900, 8900, 11800, 16800), 450, ("extra-fine merino wool", "Scottish lambswool",
        "Grade-A cashmere", "organic cotton"), HAND_WASH, a.ALPHA_M, a.KNITS, (2, 3),
        fits=("Standard", "Relaxed"), audience="men",
        blurb="Warm without the bulk; pills less than you expect."),
    Line("MJN", "men-jeans", (
        "Slim Fit Jean", "Straight Fit Jean", "Athletic Taper Jean", "Relaxed Carpenter Jean",
        "Selvedge Slim Jean", "Loose Fit Jean"),
        (7800, 8800, 9800, 12800), 750, ("14 oz selvedge denim", "stretch denim",
        "organic cotton denim"), MACHINE_WASH, a.MEN_WAIST_INSEAM, a.DENIM, (1, 2),
        fits=("Slim", "Straight", "Athletic"), audience="men",
        blurb="Cut and sewn to break in, not break down."),
    Line("MPT", "men-pants", (
        "Slim Stretch Chino", "Straight Chino", "Pleated Trouser", "Five-Pocket Canvas Pant",
        "Drawstring Linen Pant", "Corduroy Pant", "Tech Travel Pant", "Wool Trouser"),
        (6800, 7800, 8800), 560, ("stretch cotton twill", "cotton canvas", "linen",
        "cotton corduroy"), MACHINE_WASH, a.MEN_WAIST_INSEAM, a.TWILL, (1, 2),
        fits=("Slim", "Straight"), audience="men",
        blurb="The pant that goes everywhere: desk, dinner, flight."),
    Line("MSR", "men-shorts", (
        '7" Chino Short', "Recycled Swim Trunk", "Linen Drawstring Short", "Ripstop Cargo Short"),
        (4400, 4900, 5900), 280, ("stretch cotton twill", "recycled polyester", "linen"),
        MACHINE_WASH, a.MEN_WAIST, a.TWILL, (1, 3), audience="men",
        blurb="Above the knee, with a hidden phone pocket."),
    Line("MOW", "men-outerwear", (
        "Waxed Canvas Field Jacket", "Wool Overcoat", "Recycled Down Parka",
        "Harrington Jacket", "Quilted Vest", "Sherpa Trucker Jacket", "Packable Rain Jacket",
        "Canvas Chore Coat", "Wool Peacoat", "Fleece Jacket"),
        (9800, 14800, 19800, 27800), 1100, ("waxed cotton canvas", "Italian wool blend",
        "recycled nylon", "cotton canvas"), DRY_CLEAN, a.ALPHA_M, a.OUTER, (1, 2),
        fits=("Standard", "Relaxed"), audience="men",
        blurb="Layers over a sweater, sheds the rain, lasts a decade."),
    Line("MAC", "men-activewear", (
        "Training Short", "Tech Tee", "Running Tight", "Track Jacket", "Tapered Jogger",
        "Half-Zip Pullover", "Training Hoodie"),
        (3900, 4900, 6800, 8800), 220, ("recycled polyester", "moisture-wicking jersey"),
        MACHINE_WASH, a.ALPHA_M, a.ACTIVE, (2, 3), audience="men",
        blurb="Light, quick-drying, reflective details."),
    Line("MSO", "men-shoes", (
        "Leather Derby", "Canvas Sneaker", "Suede Desert Boot", "Leather Court Sneaker",
        "Penny Loafer", "Trail Runner", "Wool Runner", "Moc-Toe Work Boot", "Suede Chelsea Boot",
        "Leather Sandal"),
        (6900, 9800, 14800, 18900, 22800), 950, ("full-grain leather", "suede",
        "organic canvas", "merino wool upper"), SPOT_CLEAN, a.MEN_SHOES, a.SHOE_COLORS, (1, 2),
        audience="men", brand="North Shore Footwear",
        blurb="Goodyear-welted where it matters, cushioned where you feel it."),
    Line("KID", "kids-clothing", (
        "Organic Tee", "Pull-On Jean", "Recycled Puffer Jacket", "Fleece Hoodie",
        "Striped Pajama Set", "Twirl Dress", "Rain Jacket"),
        (1800, 2400, 3400, 5900), 150, ("organic cotton", "recycled polyester", "cotton fleece"),
        MACHINE_WASH, a.KIDS, a.BASICS, (1, 2), audience="kids",
        blurb="Made for climbing, puddles, and growing into.",
        name_prices={"Organic Tee": 1800, "Pull-On Jean": 3400, "Recycled Puffer Jacket": 6800,
                     "Fleece Hoodie": 3900, "Striped Pajama Set": 3400, "Twirl Dress": 3900,
                     "Rain Jacket": 4900}),
    Line("KSO", "kids-shoes", ("Canvas Sneaker", "Rain Boot", "Leather Sandal"),
        (3400, 3900, 4900), 350, ("organic canvas", "natural rubber", "leather"), SPOT_CLEAN,
        a.KIDS_SHOES, a.SHOE_COLORS, (1, 2), audience="kids", brand="North Shore Footwear",
        blurb="Easy on, easy off, hard to wear out."),
    Line("SLP", "sleep-lounge", (
        "Flannel Pajama Set", "Waffle Robe", "Jersey Sleep Shirt", "Cashmere Lounge Pant",
        "Poplin Sleep Short Set"),
        (4900, 6800, 8800, 14800), 400, ("brushed cotton flannel", "cotton waffle",
        "cashmere", "cotton poplin"), MACHINE_WASH, a.ALPHA, a.BASICS, (1, 2),
        blurb="For the best part of the day: the end of it."),
    Line("BAG", "bags", (
        "Waxed Canvas Weekender", "Leather Tote", "Nylon Backpack", "Leather Crossbody Bag",
        "Canvas Market Tote", "Leather Card Holder"),
        (3400, 8800, 14800, 19800), 800, ("waxed canvas", "full-grain leather",
        "recycled nylon"), SPOT_CLEAN, a.ONE_SIZE, a.OUTER, (1, 3), tax_class="standard",
        blurb="Carries the day and gets better with wear.",
        name_prices={"Waxed Canvas Weekender": 19800, "Leather Tote": 22800,
                     "Nylon Backpack": 8800, "Leather Crossbody Bag": 14800,
                     "Canvas Market Tote": 3400, "Leather Card Holder": 4800}),
    Line("HAT", "hats-scarves", (
        "Merino Beanie", "Cashmere Scarf", "Wool Baseball Cap", "Plaid Blanket Scarf",
        "Bucket Hat"),
        (2900, 3900, 6800, 9800), 120, ("merino wool", "cashmere", "cotton twill"), HAND_WASH,
        a.ONE_SIZE, a.KNITS, (2, 4), blurb="The finishing layer.",
        name_prices={"Merino Beanie": 3900, "Cashmere Scarf": 12800, "Wool Baseball Cap": 3400,
                     "Plaid Blanket Scarf": 6800, "Bucket Hat": 3900}),
    Line("BLT", "small-accessories", (
        "Leather Belt", "Canvas Web Belt", "Braided Leather Belt", "Suede Belt"),
        (3900, 4800, 5800, 6800), 180, ("vegetable-tanned leather", "cotton webbing", "suede"),
        SPOT_CLEAN, ("S", "M", "L", "XL"), a.SHOE_COLORS, (1, 2), tax_class="clothing",
        blurb="Solid brass buckle, cut from one hide."),
    Line("SCK", "small-accessories", (
        "Merino Sock 3-Pack", "Cotton Crew Sock 3-Pack", "Cashmere-Blend Sock"),
        (2400, 2900, 3400), 90, ("merino wool blend", "combed cotton", "cashmere blend"),
        MACHINE_WASH, ("S", "M", "L"), a.KNITS, (2, 3), blurb="Reinforced heel and toe."),
)  # fmt: skip
