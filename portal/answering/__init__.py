"""The shared answering screens (picture mats and ratings), used by a person, an event
participant and a circle member giving a proxy view."""
