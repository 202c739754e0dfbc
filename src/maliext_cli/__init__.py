"""maliext: the repertory, missions and reports of Mali's diaspora-expertise programmes."""

__version__ = "0.1.0"
