"""Members: the organisation tree, the register, roles scoped to a unit, eligibility, delegates."""
