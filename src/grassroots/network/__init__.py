"""The network: affiliated groups beside (not inside) the party tree, open slate primaries among
all their members, a directory shared only with consent, and a hub of resources and gatherings.
"""
