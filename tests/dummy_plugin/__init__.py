"""A plugin that exists only for the framework tests: it records signal deliveries and
serves one program-scoped page and one failing receiver."""
