"""Step 4: the domain logic as plain functions, one module per topic (``surveys``)."""
