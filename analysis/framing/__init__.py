"""Framing: story packs, lexicons, actors, marker matching with side rules, framing devices and
the per-text framing profile (layer 4)."""
