# SPDX-License-Identifier: Apache-2.0
'''cups-wps-lab: NetworkManager on ws (a python-dbusmock template).

NetworkManager needs a Wi-Fi radio, which the lab has not: this is
python-dbusmock's NetworkManager template (Debian 12: 0.28.7) plus what it
lacks and cups-wps uses (AddAndActivateConnection2, Device.Autoconnect; its
DeactivateConnection acts on every device, this one on the connection's own),
and what NetworkManager does to the lab's links: activating a profile on a
link wl<N> gives ws its address on the printer's network there, deactivating
it takes the address away, and a volatile profile is then gone.

  python3 -m dbusmock --system -t ws_networkmanager.py -l /dev/null \\
      -p '{"lab_dir": "/tmp/cups-wps-lab-ID"}'

The log must go to /dev/null: dbusmock logs every call's arguments, and a
profile carries the network's key. Tests read what a client sent with
org.freedesktop.DBus.Mock.GetMethodCalls. Links are added with
org.freedesktop.DBus.Mock.AddLabLink(link, address) on /org/freedesktop:
each gets a Wi-Fi device (Autoconnect true) that is connected to a network
"Home" (an access point, a profile and an active connection of the template).
'''

import os
import sys

import dbus
import dbusmock
from dbusmock import MOCK_IFACE
from dbusmock.templates import networkmanager as _nm
# The template's D-Bus methods (AddWiFiDevice, SettingsAddConnection, ...) and
# names: dbusmock takes a template's methods from its module.
from dbusmock.templates.networkmanager import *  # noqa: F401,F403 pylint: disable=wildcard-import,unused-wildcard-import

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ws_link  # noqa: E402 pylint: disable=wrong-import-position

BUS_NAME = _nm.BUS_NAME
MAIN_OBJ = _nm.MAIN_OBJ
MAIN_IFACE = _nm.MANAGER_IFACE
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True


def _manager():
    return dbusmock.get_object(_nm.MANAGER_OBJ)


# AddAndActivateConnection2's options as NetworkManager 1.42 takes them
# (src/core/nm-manager.c, impl_manager_add_and_activate_connection): any
# other option, or another value, is refused with InvalidArguments.
NM_OPTIONS = {'persist': ('disk', 'memory', 'volatile'), 'bind-activation': ('dbus-client', 'none')}


def check_options(options):
    for key, value in options.items():
        if key not in NM_OPTIONS:
            raise dbus.exceptions.DBusException(f"Unknown extra option '{key}'",
                                                name='org.freedesktop.NetworkManager.InvalidArguments')
        if not isinstance(value, dbus.String) or str(value) not in NM_OPTIONS[key]:
            raise dbus.exceptions.DBusException(f"Option '{key}' must be one of {', '.join(NM_OPTIONS[key])}",
                                                name='org.freedesktop.NetworkManager.InvalidArguments')


def add_and_activate_connection2(manager, settings, device, specific_object, options):
    '''AddAndActivateConnection2: the profile (its settings as given), its
    activation on `device`, and ws's address on that link. Options are
    checked as NetworkManager 1.42 checks them.'''
    check_options(options)
    settings_obj = dbusmock.get_object(_nm.SETTINGS_OBJ)
    # A copy: the template adds a uuid, and the call log keeps what was sent.
    copy = dbus.Dictionary({k: dbus.Dictionary(v, signature='sv') for k, v in settings.items()}, signature='sa{sv}')
    connection = _nm.SettingsAddConnection(settings_obj, copy)
    active = _nm.activate_connection(manager, connection, device, specific_object)
    link, address = manager.lab_links[str(device)]
    manager.lab_profiles[str(active)] = (str(connection), str(device), str(options.get('persist', '')) == 'volatile')
    ws_link.join(manager.lab_dir, link, address, 'NetworkManager (mock)')
    return (dbus.ObjectPath(connection), dbus.ObjectPath(active), dbus.Dictionary({}, signature='sv'))


def deactivate_connection(manager, active):
    '''DeactivateConnection: on the connection's own device only.'''
    active = str(active)
    if active not in dbusmock.get_objects():
        raise dbus.exceptions.DBusException(f'{active} is not active',
                                            name='org.freedesktop.NetworkManager.ConnectionNotActive')
    devices = dbusmock.get_object(active).Get(_nm.ACTIVE_CONNECTION_IFACE, 'Devices')
    for device in devices:
        _nm.RemoveActiveConnection(manager, device, active)
    profile = manager.lab_profiles.pop(active, None)
    if profile is not None:
        connection, device, volatile = profile
        ws_link.leave(manager.lab_dir, manager.lab_links[device][0], 'NetworkManager (mock)')
        if volatile and connection in dbusmock.get_objects():
            obj = dbusmock.get_object(connection)
            obj.ConnectionDelete(obj)


def add_lab_link(main, link, address):
    '''A Wi-Fi device for `link`, connected to "Home"; activating a profile
    on it gives ws `address`.'''
    name = 'lab_' + str(link).replace('-', '_')
    device = _nm.AddWiFiDevice(main, name, str(link), _nm.DeviceState.DISCONNECTED)
    dbusmock.get_object(device).AddProperty(_nm.DEVICE_IFACE, 'Autoconnect', dbus.Boolean(True))
    ap = _nm.AddAccessPoint(main, device, 'home_' + name, 'Home', '02:00:00:00:ff:01',
                            _nm.InfrastructureMode.NM_802_11_MODE_INFRA, 2437, 54000, 80,
                            _nm.NM80211ApSecurityFlags.NM_802_11_AP_SEC_KEY_MGMT_PSK)
    connection = _nm.AddWiFiConnection(main, device, 'home_' + name, 'Home', 'wpa-psk')
    _nm.AddActiveConnection(main, [device], connection, ap, 'home_' + name,
                            _nm.NMActiveConnectionState.NM_ACTIVE_CONNECTION_STATE_ACTIVATED)
    _manager().lab_links[device] = (str(link), str(address))


def load(mock, parameters):
    params = dict(parameters or {})
    params.setdefault('Version', '1.42.4')
    lab_dir = params.pop('lab_dir', '')
    _nm.load(mock, params)
    manager = _manager()
    manager.lab_dir = lab_dir
    manager.lab_links = {}     # device path -> (link, ws's address there)
    manager.lab_profiles = {}  # active connection -> (profile, device, volatile)
    manager.AddMethod(_nm.MANAGER_IFACE, 'AddAndActivateConnection2', 'a{sa{sv}}ooa{sv}', 'ooa{sv}',
                      add_and_activate_connection2)
    manager.AddMethod(_nm.MANAGER_IFACE, 'DeactivateConnection', 'o', '', deactivate_connection)
    mock.AddMethod(MOCK_IFACE, 'AddLabLink', 'ss', '', add_lab_link)
