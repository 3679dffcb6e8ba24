"""mockbi's vendor-agnostic engine: contracts, routing, validation, journal, seeding, clock."""
