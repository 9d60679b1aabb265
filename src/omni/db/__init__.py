"""Database plumbing: engine, declarative base, unit of work, outbox."""
