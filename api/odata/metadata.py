"""The feed's ``$metadata``: an EDMX document with one entity type and entity set per BI
table, whose properties are the table's columns (types as in ``bi.columns``)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from bi.columns import BOOLEAN, DATETIME, DECIMAL, DOUBLE, INTEGER, TEXT, YEAR, Column
from bi.tables import TABLES

NAMESPACE = "Clusterbase"
CONTAINER = "Programme"
EDMX = "http://docs.oasis-open.org/odata/ns/edmx"
EDM = "http://docs.oasis-open.org/odata/ns/edm"

EDM_TYPES = {
    TEXT: "Edm.String",
    YEAR: "Edm.Int32",
    INTEGER: "Edm.Int32",
    BOOLEAN: "Edm.Boolean",
    DECIMAL: "Edm.Decimal",
    DOUBLE: "Edm.Double",
    DATETIME: "Edm.DateTimeOffset",
}


def _property(parent: ET.Element, column: Column) -> None:
    attrs = {"Name": column.name, "Type": EDM_TYPES[column.type]}
    if not column.nullable:
        attrs["Nullable"] = "false"
    if column.type == DECIMAL:
        attrs["Precision"] = str(column.precision)
        attrs["Scale"] = str(column.scale)
    if column.type == DATETIME:
        attrs["Precision"] = "6"
    ET.SubElement(parent, f"{{{EDM}}}Property", attrs)


def metadata_document() -> bytes:
    ET.register_namespace("edmx", EDMX)
    ET.register_namespace("", EDM)
    root = ET.Element(f"{{{EDMX}}}Edmx", {"Version": "4.0"})
    services = ET.SubElement(root, f"{{{EDMX}}}DataServices")
    schema = ET.SubElement(services, f"{{{EDM}}}Schema", {"Namespace": NAMESPACE})
    for table in TABLES.values():
        entity = ET.SubElement(schema, f"{{{EDM}}}EntityType", {"Name": table.entity_type})
        key = ET.SubElement(entity, f"{{{EDM}}}Key")
        for name in table.key:
            ET.SubElement(key, f"{{{EDM}}}PropertyRef", {"Name": name})
        for column in table.columns:
            _property(entity, column)
    container = ET.SubElement(schema, f"{{{EDM}}}EntityContainer", {"Name": CONTAINER})
    for table in TABLES.values():
        ET.SubElement(
            container,
            f"{{{EDM}}}EntitySet",
            {"Name": table.entity_set, "EntityType": f"{NAMESPACE}.{table.entity_type}"},
        )
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
