# SPDX-License-Identifier: Apache-2.0
'''cups-wps-lab: a stand-in for systemd-networkd on ws (a python-dbusmock template).

It says what systemd-networkd says of the links it manages
(org.freedesktop.network1: Manager.GetLinkByName, Link.AdministrativeState
"configured"), and does what it does for them once they have a carrier: ws
gets its address on a printer's own network when ws's wpa_supplicant is
told to join a network on that link (its NetworkSelected signal: a Wi-Fi
link's carrier comes with the association), and loses it when that network
is removed again. The WPS exchange itself selects no network.

  python3 -m dbusmock --system -t ws_networkd.py -l /dev/null -p '{"lab_dir": "..."}'

Links are added with org.freedesktop.DBus.Mock.AddLabLink(link, address) on
/org/freedesktop/network1.
'''

import os
import socket
import sys

import dbus
import dbusmock
from dbusmock import MOCK_IFACE

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ws_link  # noqa: E402 pylint: disable=wrong-import-position

BUS_NAME = 'org.freedesktop.network1'
MAIN_OBJ = '/org/freedesktop/network1'
MAIN_IFACE = 'org.freedesktop.network1.Manager'
LINK_IFACE = 'org.freedesktop.network1.Link'
SYSTEM_BUS = True

SUPPLICANT = 'fi.w1.wpa_supplicant1'
SUPPLICANT_IFACE = 'fi.w1.wpa_supplicant1.Interface'


def _link_path(index):
    # sd-bus escapes a leading digit: /org/freedesktop/network1/link/_37 for 7.
    return f'{MAIN_OBJ}/link/_3{index}'


def get_link_by_name(manager, name):
    name = str(name)
    if name not in manager.lab_links:
        raise dbus.exceptions.DBusException(f'Link {name} not known', name='org.freedesktop.network1.NoSuchLink')
    index = socket.if_nametoindex(name)
    return (dbus.Int32(index), dbus.ObjectPath(_link_path(index)))


def add_lab_link(manager, link, address):
    link, address = str(link), str(address)
    manager.lab_links[link] = address
    path = _link_path(socket.if_nametoindex(link))
    if path not in dbusmock.get_objects():
        manager.AddObject(path, LINK_IFACE, {'AdministrativeState': 'configured', 'OperationalState': 'no-carrier'}, [])


def _ifname(manager, interface_path):
    obj = manager.connection.get_object(SUPPLICANT, interface_path)
    return str(obj.Get(SUPPLICANT_IFACE, 'Ifname', dbus_interface=dbus.PROPERTIES_IFACE))


def _on_selected(manager, network, path=None):
    link = _ifname(manager, path)
    if link in manager.lab_links:
        manager.lab_selected[str(path)] = str(network)
        ws_link.join(manager.lab_dir, link, manager.lab_links[link], 'systemd-networkd (stand-in)')


def _on_removed(manager, network, path=None):
    if manager.lab_selected.get(str(path)) != str(network):
        return
    del manager.lab_selected[str(path)]
    link = _ifname(manager, path)
    if link in manager.lab_links:
        ws_link.leave(manager.lab_dir, link, 'systemd-networkd (stand-in)')


def load(mock, parameters):
    mock.lab_dir = (parameters or {}).get('lab_dir', '')
    mock.lab_links = {}     # link -> ws's address there
    mock.lab_selected = {}  # wpa_supplicant interface -> the network selected on it
    mock.AddMethod(MAIN_IFACE, 'GetLinkByName', 's', 'io', get_link_by_name)
    mock.AddMethod(MOCK_IFACE, 'AddLabLink', 'ss', '', add_lab_link)
    bus = mock.connection
    bus.add_signal_receiver(lambda network, path=None: _on_selected(mock, network, path),
                            signal_name='NetworkSelected', dbus_interface=SUPPLICANT_IFACE, path_keyword='path')
    bus.add_signal_receiver(lambda network, path=None: _on_removed(mock, network, path),
                            signal_name='NetworkRemoved', dbus_interface=SUPPLICANT_IFACE, path_keyword='path')
