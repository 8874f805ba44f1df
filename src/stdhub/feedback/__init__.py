"""Public feedback: the comment store (`store`), the service that takes comments, and the
staff side (`stdhub feedback pull`, dispositions under `feedback/`)."""
