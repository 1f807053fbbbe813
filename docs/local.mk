dist_doc_DATA = docs/protocol.md
dist_man_MANS = docs/aidesk.1
