"""State changes, one module per concept; each is atomic and writes an audit entry."""
