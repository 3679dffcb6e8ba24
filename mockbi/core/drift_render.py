"""Drift reports as text and JUnit XML (JSON is ``DriftResult.as_dict()``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mockbi.core.drift import DriftResult


def drift_text(result: DriftResult) -> str:
    summary = result.as_dict()["summary"]
    lines = [f"{result.vendor}: {summary['breaking']} breaking, {summary['non_breaking']} non-breaking change(s), "
             f"{summary['known_deviations']} known deviation(s) against {result.document}"]
    for title, breaking in (("breaking", True), ("non-breaking", False)):
        chosen = [c for c in result.changes if c.breaking == breaking]
        if chosen:
            lines.append(f"{title}:")
            lines += [f"  [{c.kind}] {c.where}: {c.detail}" if c.where != c.detail else f"  [{c.kind}] {c.detail}"
                      for c in chosen]
    if result.known:
        lines.append("known deviations (the contract follows the service; not drift):")
        lines += [f"  [{c.kind}] {c.where}: {reason}" for c, reason in result.known]
    return "\n".join(lines) + "\n"


def drift_junit(result: DriftResult) -> str:
    """One test case per change: breaking changes fail; non-breaking ones and known deviations pass with output."""
    suites = ET.Element("testsuites", name="mockbi drift")
    suite = ET.SubElement(suites, "testsuite", name=result.vendor, tests=str(len(result.changes) + len(result.known)),
                          failures=str(len(result.breaking)), errors="0")
    for change in result.changes:
        case = ET.SubElement(suite, "testcase", classname=f"mockbi.drift.{result.vendor}.{change.kind}",
                             name=change.where)
        if change.breaking:
            ET.SubElement(case, "failure", message=change.detail, type=change.kind)
        else:
            ET.SubElement(case, "system-out").text = change.detail
    for change, reason in result.known:
        case = ET.SubElement(suite, "testcase", classname=f"mockbi.drift.{result.vendor}.known", name=change.where)
        ET.SubElement(case, "system-out").text = f"known deviation: {reason}"
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
