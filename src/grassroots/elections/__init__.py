"""Online elections: set-up, nominations, secret ranked ballots with receipts, published counts."""
