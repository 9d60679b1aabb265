"""Administrative tasks run from the CLI, through the same use cases as the API."""

from __future__ import annotations

from pydantic import ValidationError

from omni.access import staff
from omni.access.schemas import StaffIn
from omni.db.database import Database
from omni.kernel.errors import DomainError, InvalidInput
from omni.locations import api as locations_api
from omni.settings import Settings


async def create_staff_user(
    settings: Settings, email: str, name: str, roles: list[str], stores: list[str], password: str
) -> str:
    db = Database(settings)
    try:
        data = StaffIn(email=email, name=name, password=password, roles=roles, store_ids=stores)
        user = await staff.create_staff(db.uow(), data, store_exists=locations_api.location_exists)
        return user.id
    except ValidationError as error:
        raise InvalidInput(error.errors()[0]["msg"]) from error
    except DomainError:
        raise
    finally:
        await db.dispose()
