dist_doc_DATA = docs/protocol.md docs/architecture.md
dist_man_MANS = docs/aidesk.1 docs/aidesk-sim.1
