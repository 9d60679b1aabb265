"""Request and response models of the access module."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from omni.http.schemas import StrictModel
from omni.permissions import ROLES

RoleName = Literal[
    "admin", "merchandiser", "planner", "store_manager", "associate", "agent", "analyst"
]
assert set(RoleName.__args__) == set(ROLES)  # type: ignore[attr-defined]


class SignInIn(StrictModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)


class SignUpIn(StrictModel):
    email: EmailStr
    password: str = Field(min_length=1, max_length=256)
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    phone: str | None = Field(default=None, max_length=32)
    marketing_email_opt_in: bool = False


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    principal_kind: Literal["staff", "customer"]
    principal_id: str


class PasswordResetRequestIn(StrictModel):
    email: EmailStr


class PasswordResetIn(StrictModel):
    token: str = Field(min_length=10, max_length=200)
    new_password: str = Field(min_length=1, max_length=256)


class MeOut(BaseModel):
    kind: str
    id: str | None
    roles: list[str] = []
    store_ids: list[str] = []
    scopes: list[str] = []
    name: str | None = None
    email: str | None = None


class StaffIn(StrictModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=256)
    roles: list[RoleName] = Field(min_length=1)
    store_ids: list[str] = []


class StaffPatch(StrictModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[RoleName] | None = Field(default=None, min_length=1)
    store_ids: list[str] | None = None
    active: bool | None = None


class StaffOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    name: str
    roles: list[str]
    store_ids: list[str]
    active: bool
    created_at: datetime
    version: int


class ApiClientIn(StrictModel):
    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(min_length=1)
    channel_id: str | None = None


class ApiClientOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    key_hint: str
    scopes: list[str]
    channel_id: str | None
    active: bool
    created_at: datetime


class ApiClientCreatedOut(ApiClientOut):
    api_key: str = Field(description="Shown once; only its hash is stored.")


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    at: datetime
    actor_kind: str
    actor_id: str | None
    channel: str | None
    request_id: str | None
    action: str
    object_type: str
    object_id: str
    changes: dict[str, object]
