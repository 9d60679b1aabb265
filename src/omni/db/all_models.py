"""Imports every module's tables so the metadata is complete (Alembic, tests)."""

from omni.access import models as _access  # noqa: F401
from omni.carts import models as _carts  # noqa: F401
from omni.catalog import models as _catalog  # noqa: F401
from omni.channels import models as _channels  # noqa: F401
from omni.customers import models as _customers  # noqa: F401
from omni.db import platform_models as _platform  # noqa: F401
from omni.db.base import Base
from omni.demo import models as _demo  # noqa: F401
from omni.inventory import documents as _inventory_documents  # noqa: F401
from omni.inventory import models as _inventory  # noqa: F401
from omni.inventory import replenishment_models as _replenishment  # noqa: F401
from omni.locations import models as _locations  # noqa: F401
from omni.loyalty import models as _loyalty  # noqa: F401
from omni.orders import change_models as _order_changes  # noqa: F401
from omni.orders import models as _orders  # noqa: F401
from omni.orders import receipts as _receipts  # noqa: F401
from omni.payments import models as _payments  # noqa: F401
from omni.pricing import models as _pricing  # noqa: F401
from omni.promotions import models as _promotions  # noqa: F401
from omni.sourcing import models as _sourcing  # noqa: F401
from omni.taxes import models as _taxes  # noqa: F401

metadata = Base.metadata
