"""What the API shows of each record, field by field. Every field is declared here with its
description (no ModelSerializer): a private field can never appear by being added to a model."""
