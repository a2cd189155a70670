#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The printer dialogs' own client code, driven headless by the tests.

Runs on the lab's workstation (CUPS_SERVER and the system bus are ws's).
Each command prints one JSON value on stdout; a failure is a JSON object
{"error": "..."} and exit status 1.

  cupshelpers-match DEVICE_ID URI     system-config-printer's driver choice
                                      (cupshelpers.ppds, as GetBestDrivers
                                      does it): [[ppd-name, fit], ...], best first
  cupshelpers-add QUEUE URI PPD       pycups addPrinter(ppdname=...), then
                                      enable, accept, print CUPS's test page
                                      (as system-config-printer's dialog
                                      does); {"job": id}
  scp-best-drivers BUS DEVICE_ID MAKE_MODEL URI
                                      scp-dbus-service GetBestDrivers on the
                                      session bus BUS: [[ppd-name, fit], ...]
  scp-group BUS DEVICES_JSON          scp-dbus-service GroupPhysicalDevices
                                      ({uri: {attr: value}}): [[uri, ...], ...]
  pk-devices                          cups-pk-helper DevicesGet (GNOME's
                                      device list) of scheme wps:
                                      {device-info: {"id": ..., "uri": ...}}
  pk-add QUEUE URI PPD INFO           cups-pk-helper PrinterAdd, then, as
                                      GNOME does, PrinterSetEnabled and
                                      PrinterSetAcceptJobs: {"added": bool,
                                      "error": "..."}
"""
import json
import sys

PK_NAME = "org.opensuse.CupsPkHelper.Mechanism"
SCP_NAME = "org.fedoraproject.Config.Printing"
SCP_PATH = "/org/fedoraproject/Config/Printing"
# GNOME and system-config-printer give a slow D-Bus call a long time.
TIMEOUT = 120


def cupshelpers_match(device_id, uri):
    import cups
    import cupshelpers
    conn = cups.Connection()
    ppds = cupshelpers.ppds.PPDs(conn.getPPDs2())
    ids = cupshelpers.parseDeviceID(device_id)
    fit = ppds.getPPDNamesFromDeviceID(ids["MFG"], ids["MDL"], ids["DES"], ids["CMD"], uri)
    ordered = ppds.orderPPDNamesByPreference(list(fit.keys()), devid=ids, fit=fit)
    return [[name, fit[name]] for name in ordered]


def cupshelpers_add(queue, uri, ppd):
    import cups
    conn = cups.Connection()
    conn.addPrinter(queue, ppdname=ppd, device=uri, info=queue)
    conn.enablePrinter(queue)
    conn.acceptJobs(queue)
    return {"job": conn.printTestPage(queue)}


def session_bus(address):
    import dbus
    return dbus.bus.BusConnection(address)


def scp_best_drivers(bus, device_id, make_model, uri):
    proxy = session_bus(bus).get_object(SCP_NAME, SCP_PATH)
    drivers = proxy.GetBestDrivers(device_id, make_model, uri, dbus_interface=SCP_NAME, timeout=TIMEOUT)
    return [[str(name), str(fit)] for name, fit in drivers]


def scp_group(bus, devices_json):
    devices = json.loads(devices_json)
    proxy = session_bus(bus).get_object(SCP_NAME, SCP_PATH)
    groups = proxy.GroupPhysicalDevices(devices, dbus_interface=SCP_NAME, timeout=TIMEOUT)
    return [[str(u) for u in g] for g in groups]


def pk():
    import dbus
    return dbus.SystemBus().get_object(PK_NAME, "/")


def pk_devices():
    error, flat = pk().DevicesGet(10, 0, ["wps"], [], dbus_interface=PK_NAME, timeout=TIMEOUT)
    if error:
        raise RuntimeError(str(error))
    # {"device-uri:0": ..., "device-id:0": ...} -> {uri: {"device-id": ...}}
    by_index = {}
    for key, value in flat.items():
        attr, _, index = str(key).rpartition(":")
        by_index.setdefault(index, {})[attr] = str(value)
    return {d.get("device-info", ""): {"id": d.get("device-id", ""), "uri": d["device-uri"]}
            for d in by_index.values() if "device-uri" in d}


def pk_add(queue, uri, ppd, info):
    mech = pk()
    error = str(mech.PrinterAdd(queue, uri, ppd, info, "", dbus_interface=PK_NAME, timeout=TIMEOUT))
    if error:
        return {"added": False, "error": error}
    for step in (lambda: mech.PrinterSetEnabled(queue, True, dbus_interface=PK_NAME, timeout=TIMEOUT),
                 lambda: mech.PrinterSetAcceptJobs(queue, True, "", dbus_interface=PK_NAME, timeout=TIMEOUT)):
        error = str(step())
        if error:
            return {"added": True, "error": error}
    return {"added": True, "error": ""}


COMMANDS = {
    "cupshelpers-match": (cupshelpers_match, 2),
    "cupshelpers-add": (cupshelpers_add, 3),
    "scp-best-drivers": (scp_best_drivers, 4),
    "scp-group": (scp_group, 2),
    "pk-devices": (pk_devices, 0),
    "pk-add": (pk_add, 4),
}


def main(argv):
    if len(argv) < 2 or argv[1] not in COMMANDS or len(argv) - 2 != COMMANDS[argv[1]][1]:
        print(__doc__, file=sys.stderr)
        return 2
    fn, _ = COMMANDS[argv[1]]
    try:
        print(json.dumps(fn(*argv[2:]), sort_keys=True))
        return 0
    except Exception as e:  # the test shows what the client said
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
