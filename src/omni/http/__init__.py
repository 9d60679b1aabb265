"""HTTP plumbing shared by every module's router: problems, auth, access, pagination,
idempotency."""
