"""What describes the bulk downloads: the Frictionless data package, the data dictionary and the DCAT-AP catalogue.

* ``datapackage.json`` (Frictionless Data Package v1): one resource per table, the gzipped CSV, with
  its Table Schema (field names, types and descriptions, primary and foreign keys), size and
  SHA-256. The other formats hold the same rows and are listed in the catalogue.
* ``data-dictionary.csv``: table, field, type and description of every field, from the same definitions.
* The DCAT-AP catalogue (``catalogue_graph``): a ``dcat:Catalog`` with one ``dcat:Dataset`` per table
  and one ``dcat:Distribution`` per file (download URL, media type, size, checksum, licence),
  serialised as JSON-LD and Turtle with rdflib.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.utils import timezone, translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from .tables import TABLES, table_get

__all__ = ["licence", "datapackage", "data_dictionary_csv", "catalogue_graph", "catalogue_jsonld",
           "catalogue_turtle"]

SPDX = Namespace("http://spdx.org/rdf/terms#")


def licence() -> dict:
    """The licence of the platform's own data (settings.OPEN_DATA_LICENCE); indicators carry their own."""
    return dict(getattr(settings, "OPEN_DATA_LICENCE", {
        "name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/"}))


def datapackage(dump, files: list[dict]) -> dict:
    """The Frictionless descriptor of ``dump``: its gzipped CSV files with their schemas.

    In English whatever the request's language: the descriptions are marked for translation for the
    downloads page, but the machine-readable files are one English file for everyone."""
    with translation.override("en"):
        return _datapackage(dump, files)


def _datapackage(dump, files: list[dict]) -> dict:
    resources = []
    for entry in files:
        if entry.get("format") != "csv":
            continue
        table = table_get(entry["table"])
        schema = {"fields": [{"name": f.name, "type": f.type, "description": str(f.description)} for f in table.fields]}
        if table.primary_key:
            schema["primaryKey"] = list(table.primary_key)
        if table.foreign_keys:
            schema["foreignKeys"] = [dict(fk) for fk in table.foreign_keys]
        resources.append({
            "profile": "tabular-data-resource",
            "name": table.name.replace("_", "-"), "title": str(table.title), "description": str(table.description),
            "path": entry["name"], "format": "csv", "mediatype": "text/csv", "compression": "gz",
            "encoding": "utf-8-sig", "bytes": entry["size"], "hash": f"sha256:{entry['sha256']}",
            "schema": schema,
        })
    for resource in resources:  # foreign keys name resources as the descriptor spells them
        for fk in resource["schema"].get("foreignKeys", []):
            fk["reference"]["resource"] = fk["reference"]["resource"].replace("_", "-")
    created = (dump.finished_at or dump.started_at or timezone.now()).isoformat()
    return {
        "profile": "tabular-data-package",
        "name": "wsis-open-data",
        "title": "WSIS Implementation Platform: open data",
        "description": ("Published initiatives of the WSIS Stocktaking registry with their tags, organisations, "
                        "the WSIS–SDG Matrix, reference lists with linked identifiers, ICT indicators, WSIS "
                        "Forum sessions and regional reviews."),
        "version": f"{dump.pk}",
        "created": created,
        "licenses": [licence()],
        "resources": resources,
    }


def data_dictionary_csv() -> str:
    """Table, field, type and description of every field, in English (see ``datapackage``)."""
    with translation.override("en"):
        return _data_dictionary_csv()


def _data_dictionary_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["table", "field", "type", "description"])
    for table in TABLES:
        for f in table.fields:
            writer.writerow([table.name, f.name, f.type, str(f.description)])
    return buffer.getvalue()


def catalogue_graph(dump, *, base_url: str, file_url) -> Graph:
    """A DCAT-AP catalogue of ``dump``'s tables; ``file_url(name)`` is a file's absolute download URL.

    Its titles and descriptions are the English ones (``lang="en"``), whatever the request's language."""
    with translation.override("en"):
        return _catalogue_graph(dump, base_url=base_url, file_url=file_url)


def _catalogue_graph(dump, *, base_url: str, file_url) -> Graph:
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("spdx", SPDX)
    catalogue = URIRef(f"{base_url}#catalogue")
    lic = URIRef(licence()["path"])
    publisher = BNode()
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(getattr(settings, "SITE_NAME", "WSIS Implementation Platform"))))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("WSIS Implementation Platform: open data", lang="en")))
    graph.add((catalogue, DCTERMS.description, Literal(
        "Bulk downloads of the published data of the WSIS Implementation Platform.", lang="en")))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, lic))
    graph.add((catalogue, FOAF.homepage, URIRef(base_url)))
    if dump is None:
        return graph
    issued = Literal((dump.finished_at or dump.created_at).isoformat(), datatype=XSD.dateTime)
    graph.add((catalogue, DCTERMS.modified, issued))
    by_table: dict[str, list[dict]] = {}
    for entry in dump.files:
        if entry.get("table"):
            by_table.setdefault(entry["table"], []).append(entry)
    for table in TABLES:
        entries = by_table.get(table.name, [])
        if not entries:
            continue
        dataset = URIRef(f"{base_url}#{table.name}")
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.identifier, Literal(f"wsis-open-data/{table.name}")))
        graph.add((dataset, DCTERMS.title, Literal(str(table.title), lang="en")))
        graph.add((dataset, DCTERMS.description, Literal(str(table.description), lang="en")))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.modified, issued))
        graph.add((dataset, DCAT.landingPage, URIRef(base_url)))
        for entry in entries:
            distribution = URIRef(f"{base_url}#{entry['name']}")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{table.title} ({entry['label']})", lang="en")))
            url = URIRef(file_url(entry["name"]))
            graph.add((distribution, DCAT.accessURL, url))
            graph.add((distribution, DCAT.downloadURL, url))
            graph.add((distribution, DCAT.mediaType,
                       URIRef(f"https://www.iana.org/assignments/media-types/{entry['media_type']}")))
            graph.add((distribution, DCTERMS.format, Literal(entry["label"])))
            if entry.get("compression"):
                graph.add((distribution, DCAT.compressFormat,
                           URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
            graph.add((distribution, DCAT.byteSize, Literal(entry["size"], datatype=XSD.nonNegativeInteger)))
            graph.add((distribution, DCTERMS.license, lic))
            graph.add((distribution, DCTERMS.issued, issued))
            checksum = BNode()
            graph.add((distribution, SPDX.checksum, checksum))
            graph.add((checksum, RDF.type, SPDX.Checksum))
            graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            graph.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
    return graph


def catalogue_jsonld(graph: Graph) -> str:
    return graph.serialize(format="json-ld", context={"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF),
                                                      "spdx": str(SPDX)}, indent=1)


def catalogue_turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")
