"""The person's own pages under /account: profile, mail settings, password, organisations they
speak for, and everything they wrote. A top-layer package: it shows what the areas below hold
for one person (accounts, auth, mail, organisations, proposals, comments, incorporation)."""
