dist_doc_DATA = docs/protocol.md
