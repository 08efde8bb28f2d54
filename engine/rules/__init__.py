"""Rule packs: schema, loader, verifier, compiler to concrete rules, and the two backends."""
