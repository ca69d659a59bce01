"""A person's own data (DSGVO Art. 15 and 20): everything the platform holds about them, as one
ZIP of a JSON document, a CSV file per kind and a README, prepared on request for the person
(/account/data) or, on a written request, by an admin. A top-layer package: it reads what the
areas below hold for one person; no area imports it."""
