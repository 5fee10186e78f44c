"""atd-kg: a knowledge graph of alternatives to immigration detention. The package holds the stages
(atdkg.loaders, .queries, .network, .webapp), what they share (atdkg.terms, atdkg.config), the build
orchestrator (atdkg.build) and the interfaces (atdkg.cli, atdkg.api); see tests/test_architecture.py."""
