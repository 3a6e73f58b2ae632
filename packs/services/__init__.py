"""Pack logic: ``keys`` (the text form of Ed25519 public keys), ``signing`` (key files,
signatures, trust), ``content`` (content packs) and ``results`` (results packs)."""
