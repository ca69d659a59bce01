"""Data protection self-service (DSGVO): a person's own data (Art. 15 and 20), everything the
platform holds about them as one ZIP of a JSON document, a CSV file per kind and a README,
prepared on request for the person (/account/data) or, on a written request, by an admin; and
retention (`flask privacy purge`). A top-layer package: it reads what the areas below hold; no
area imports it."""
