"""The API's endpoints, one module per area; `base` holds what they share."""
