# SPDX-License-Identifier: Apache-2.0
'''cups-wps-lab: NetworkManager on ws (a python-dbusmock template).

NetworkManager needs a Wi-Fi radio, which the lab has not: this is
python-dbusmock's NetworkManager template (Debian 12: 0.28.7) plus what it
lacks and cups-wps uses (AddAndActivateConnection2, Device.Autoconnect; its
DeactivateConnection acts on every device, this one on the connection's own),
and what NetworkManager does to the lab's links: activating a profile on a
link wl<N> gives ws its address on the printer's network there, deactivating
it takes the address away, and a volatile profile is then gone.

It keeps NetworkManager 1.42's rules for the calls cups-wps makes (read in
src/core/nm-manager.c, nm-active-connection.c, nm-policy.c):
- AddAndActivateConnection2 refuses unknown options and invalid values, and
  settings NetworkManager would not verify;
- an activation goes ACTIVATING, then ACTIVATED (or, after FailActivations,
  DEACTIVATED with that reason, its device FAILED then DISCONNECTED), one
  step every STEP_MS; a deactivation goes DEACTIVATING, then DEACTIVATED
  (device DEACTIVATING, then DISCONNECTED); the methods answer at once;
- bind-activation=dbus-client: the connection is deactivated when its caller
  leaves the bus;
- autoconnect (nm-policy.c): a disconnected device whose Autoconnect is true
  activates a saved profile of it that may autoconnect and is not blocked; a
  profile deactivated on request is blocked until it is activated again by
  request or reaches ACTIVATED.
The radio lab's real NetworkManager 1.42 is the reference
(radio_integration, Laptop).

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
from dbusmock.mockobject import DBusMockObject
from gi.repository import GLib
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


# NetworkManager's states (nm-dbus-interface.h).
ACTIVATING, ACTIVATED, DEACTIVATING, DEACTIVATED = 1, 2, 3, 4  # NMActiveConnectionState
REASON_NONE, REASON_USER_DISCONNECTED = 1, 2                    # NMActiveConnectionStateReason
DEV_DISCONNECTED, DEV_PREPARE, DEV_ACTIVATED, DEV_DEACTIVATING, DEV_FAILED = 30, 40, 100, 110, 120
DEV_REASON_USER_REQUESTED = 39
STEP_MS = 100
PROPERTIES_IFACE = 'org.freedesktop.DBus.Properties'


def _invalid(text):
    return dbus.exceptions.DBusException(text, name='org.freedesktop.NetworkManager.Settings.Connection.InvalidProperty')


def check_settings(settings):
    '''What nm_connection_verify() refuses among the settings cups-wps sends
    (unknown settings and properties are ignored, as without STRICT).'''
    wifi = settings.get('802-11-wireless', {})
    ssid = bytes(wifi.get('ssid', b''))
    if not 1 <= len(ssid) <= 32:
        raise _invalid('802-11-wireless.ssid: SSID length is out of range <1-32> bytes')
    security = settings.get('802-11-wireless-security')
    if security is not None:
        key_mgmt = str(security.get('key-mgmt', ''))
        if key_mgmt not in ('none', 'ieee8021x', 'wpa-psk', 'sae', 'owe', 'wpa-eap', 'wpa-eap-suite-b-192'):
            raise _invalid(f"802-11-wireless-security.key-mgmt: '{key_mgmt}' is not a valid value for the property")
        psk = str(security.get('psk', ''))
        if key_mgmt == 'wpa-psk' and 'psk' in security and not (
                8 <= len(psk) <= 63 and psk.isascii() or
                len(psk) == 64 and all(c in '0123456789abcdefABCDEF' for c in psk)):
            raise _invalid('802-11-wireless-security.psk: property is invalid')
    methods = {'ipv4': ('auto', 'link-local', 'manual', 'shared', 'disabled'),
               'ipv6': ('ignore', 'auto', 'dhcp', 'link-local', 'manual', 'shared', 'disabled')}
    for ip, valid in methods.items():
        method = settings.get(ip, {}).get('method')
        if method is not None and str(method) not in valid:
            raise _invalid(f'{ip}.method: property is invalid')


def _device_state(device, state, reason):
    obj = dbusmock.get_object(device)
    old = obj.Get(_nm.DEVICE_IFACE, 'State')
    obj.Set(_nm.DEVICE_IFACE, 'State', dbus.UInt32(state))
    obj.Set(_nm.DEVICE_IFACE, 'StateReason', (dbus.UInt32(state), dbus.UInt32(reason)))
    obj.EmitSignal(_nm.DEVICE_IFACE, 'StateChanged', 'uuu', [dbus.UInt32(state), old, dbus.UInt32(reason)])


def _active_state(active, state, reason):
    obj = dbusmock.get_object(active)
    obj.Set(_nm.ACTIVE_CONNECTION_IFACE, 'State', dbus.UInt32(state))
    obj.EmitSignal(_nm.ACTIVE_CONNECTION_IFACE, 'StateChanged', 'uu', [dbus.UInt32(state), dbus.UInt32(reason)])


def _later(fn):
    def once():
        fn()
        return False
    GLib.timeout_add(STEP_MS, once)


def _start(manager, connection, device, specific_object, volatile=False, sender=None):  # pylint: disable=too-many-arguments
    '''An active connection of `connection` on `device`, ACTIVATING; one step
    later ACTIVATED (ws on that link's network), or failed.'''
    device = str(device)
    current = str(dbusmock.get_object(device).Get(_nm.DEVICE_IFACE, 'ActiveConnection'))
    if current != '/':
        _stop(manager, current, REASON_USER_DISCONNECTED, at_once=True)
    manager.lab_serial += 1
    path = f'/org/freedesktop/NetworkManager/ActiveConnection/lab{manager.lab_serial}'
    settings = dbusmock.get_object(connection).settings['connection']
    manager.AddObject(path, _nm.ACTIVE_CONNECTION_IFACE, {
        'Devices': dbus.Array([dbus.ObjectPath(device)], signature='o'),
        'Default6': False, 'Default': False, 'Type': settings['type'], 'Vpn': False,
        'Connection': dbus.ObjectPath(connection), 'Master': dbus.ObjectPath('/'),
        'SpecificObject': dbus.ObjectPath(specific_object), 'Uuid': settings['uuid'],
        'State': dbus.UInt32(ACTIVATING), 'Id': settings['id'],
    }, [])
    manager.object_manager_emit_added(path)
    actives = manager.Get(_nm.MANAGER_IFACE, 'ActiveConnections')
    actives.append(dbus.ObjectPath(path))
    manager.SetProperty(_nm.MANAGER_OBJ, _nm.MANAGER_IFACE, 'ActiveConnections', actives)
    dbusmock.get_object(device).Set(_nm.DEVICE_IFACE, 'ActiveConnection', dbus.ObjectPath(path))
    _device_state(device, DEV_PREPARE, 0)
    manager.lab_profiles[path] = (str(connection), device, volatile)
    if sender:
        manager.lab_bindings[path] = manager.connection.add_signal_receiver(
            lambda _name, _old, new: None if new else _stop(manager, path, REASON_USER_DISCONNECTED),
            signal_name='NameOwnerChanged', dbus_interface='org.freedesktop.DBus',
            bus_name='org.freedesktop.DBus', path='/org/freedesktop/DBus', arg0=sender)

    def done():
        if path not in manager.lab_profiles or path in manager.lab_stopping:
            return
        if manager.lab_failures:
            reason = manager.lab_failures.pop(0)
            _active_state(path, DEACTIVATED, reason)
            _device_state(device, DEV_FAILED, reason)
            _remove(manager, path)
            _device_state(device, DEV_DISCONNECTED, reason)
            _autoconnect(manager, device)
            return
        manager.lab_blocked.discard(connection)
        if connection not in manager.lab_homes:
            link, address = manager.lab_links[device]
            ws_link.join(manager.lab_dir, link, address, 'NetworkManager (mock)')
            manager.lab_joined.add(path)
        _active_state(path, ACTIVATED, REASON_NONE)
        _device_state(device, DEV_ACTIVATED, 0)
    _later(done)
    return dbus.ObjectPath(path)


def _remove(manager, path):
    '''The active connection gone; a volatile profile with it.'''
    connection, device, volatile = manager.lab_profiles.pop(path)
    binding = manager.lab_bindings.pop(path, None)
    if binding is not None:
        binding.remove()
    actives = manager.Get(_nm.MANAGER_IFACE, 'ActiveConnections')
    if path in actives:
        actives.remove(dbus.ObjectPath(path))
        manager.SetProperty(_nm.MANAGER_OBJ, _nm.MANAGER_IFACE, 'ActiveConnections', actives)
    dev = dbusmock.get_object(device)
    if str(dev.Get(_nm.DEVICE_IFACE, 'ActiveConnection')) == path:
        dev.Set(_nm.DEVICE_IFACE, 'ActiveConnection', dbus.ObjectPath('/'))
    manager.object_manager_emit_removed(path)
    manager.RemoveObject(path)
    if volatile and connection in dbusmock.get_objects():
        obj = dbusmock.get_object(connection)
        obj.ConnectionDelete(obj)


def _stop(manager, path, reason, at_once=False):
    '''DEACTIVATING, then (one step later) ws off that network, DEACTIVATED
    and the device DISCONNECTED.'''
    if path not in manager.lab_profiles or path in manager.lab_stopping:
        return
    manager.lab_stopping.add(path)
    connection, device, _ = manager.lab_profiles[path]
    if reason == REASON_USER_DISCONNECTED:
        manager.lab_blocked.add(connection)
    _active_state(path, DEACTIVATING, reason)
    _device_state(device, DEV_DEACTIVATING, DEV_REASON_USER_REQUESTED)

    def done():
        manager.lab_stopping.discard(path)
        if path in manager.lab_joined:
            manager.lab_joined.discard(path)
            ws_link.leave(manager.lab_dir, manager.lab_links[device][0], 'NetworkManager (mock)')
        _active_state(path, DEACTIVATED, reason)
        _remove(manager, path)
        _device_state(device, DEV_DISCONNECTED, DEV_REASON_USER_REQUESTED)
        if not at_once:
            _autoconnect(manager, device)
    if at_once:
        done()
    else:
        _later(done)


def add_and_activate_connection2(manager, settings, device, specific_object, options):
    '''AddAndActivateConnection2: the profile (its settings as given) and its
    activation on `device`. Options and settings are checked as
    NetworkManager 1.42 checks them.'''
    check_options(options)
    check_settings(settings)
    if str(device) not in manager.lab_links:
        raise dbus.exceptions.DBusException(f'{device} is not a device',
                                            name='org.freedesktop.NetworkManager.UnknownDevice')
    settings_obj = dbusmock.get_object(_nm.SETTINGS_OBJ)
    # A copy: the template adds a uuid, and the call log keeps what was sent.
    copy = dbus.Dictionary({k: dbus.Dictionary(v, signature='sv') for k, v in settings.items()}, signature='sa{sv}')
    connection = _nm.SettingsAddConnection(settings_obj, copy)
    bound = str(options.get('bind-activation', 'none')) == 'dbus-client'
    active = _start(manager, str(connection), device, specific_object,
                    volatile=str(options.get('persist', '')) == 'volatile',
                    sender=manager.lab_caller if bound else None)
    return (dbus.ObjectPath(connection), active, dbus.Dictionary({}, signature='sv'))


def activate_connection(manager, connection, device, specific_object):
    '''ActivateConnection of a saved profile.'''
    if str(connection) not in dbusmock.get_objects():
        raise dbus.exceptions.DBusException(f'{connection} is not a connection',
                                            name='org.freedesktop.NetworkManager.UnknownConnection')
    manager.lab_blocked.discard(str(connection))
    return _start(manager, str(connection), device, specific_object)


def deactivate_connection(manager, active):
    '''DeactivateConnection: on the connection's own device only; it answers
    at once, the device is disconnected a step later.'''
    active = str(active)
    if active not in manager.lab_profiles:
        raise dbus.exceptions.DBusException(f'{active} is not active',
                                            name='org.freedesktop.NetworkManager.ConnectionNotActive')
    _stop(manager, active, REASON_USER_DISCONNECTED)


def set_device_property(device, interface, name, value):
    '''Properties.Set on a device: Autoconnect true on a disconnected device
    activates a saved profile of it that may autoconnect (nm-policy.c).'''
    DBusMockObject.Set(device, interface, name, value)
    if str(interface) == _nm.DEVICE_IFACE and str(name) == 'Autoconnect':
        _autoconnect(_manager(), device.path)


def _autoconnect(manager, device):
    '''A disconnected device with Autoconnect true activates the first saved
    profile of it that may autoconnect and is not blocked.'''
    dev = dbusmock.get_object(device)
    if not dev.Get(_nm.DEVICE_IFACE, 'Autoconnect') or dev.Get(_nm.DEVICE_IFACE, 'State') > DEV_DISCONNECTED:
        return
    for connection in map(str, dev.Get(_nm.DEVICE_IFACE, 'AvailableConnections')):
        if connection in dbusmock.get_objects() and connection not in manager.lab_blocked and \
                bool(dbusmock.get_object(connection).settings['connection'].get('autoconnect', True)):
            _start(manager, connection, device, '/')
            return


def fail_activations(manager, reasons):
    '''The next activations fail, with these NMActiveConnectionStateReasons.'''
    manager.lab_failures.extend(int(r) for r in reasons)


def _with_sender(obj, interface, name):
    '''dbusmock hands a method no caller: this one gets it as `sender`.'''
    in_sig, out_sig, code, method = obj.methods[interface][name]

    def call(self, *args, sender=None):
        self.lab_caller = sender  # one call at a time: the main loop has one thread
        return DBusMockObject.mock_method(self, interface, name, in_sig, *args)
    call.__dict__.update(method.__dict__)
    call._dbus_sender_keyword = 'sender'  # pylint: disable=protected-access
    obj.methods[interface][name] = (in_sig, out_sig, code, call)


def add_lab_link(main, link, address):
    '''A Wi-Fi device for `link`, connected to "Home"; activating a profile
    on it gives ws `address`.'''
    name = 'lab_' + str(link).replace('-', '_')
    device = _nm.AddWiFiDevice(main, name, str(link), _nm.DeviceState.DISCONNECTED)
    dev = dbusmock.get_object(device)
    dev.AddProperty(_nm.DEVICE_IFACE, 'Autoconnect', dbus.Boolean(True))
    dev.AddMethod(PROPERTIES_IFACE, 'Set', 'ssv', '', set_device_property)
    ap = _nm.AddAccessPoint(main, device, 'home_' + name, 'Home', '02:00:00:00:ff:01',
                            _nm.InfrastructureMode.NM_802_11_MODE_INFRA, 2437, 54000, 80,
                            _nm.NM80211ApSecurityFlags.NM_802_11_AP_SEC_KEY_MGMT_PSK)
    connection = str(_nm.AddWiFiConnection(main, device, 'home_' + name, 'Home', 'wpa-psk'))
    manager = _manager()
    manager.lab_links[device] = (str(link), str(address))
    manager.lab_homes.add(connection)
    _start(manager, connection, device, ap)


def load(mock, parameters):
    params = dict(parameters or {})
    params.setdefault('Version', '1.42.4')
    lab_dir = params.pop('lab_dir', '')
    _nm.load(mock, params)
    manager = _manager()
    manager.lab_dir = lab_dir
    manager.lab_links = {}     # device path -> (link, ws's address there)
    manager.lab_profiles = {}  # active connection -> (profile, device, volatile)
    manager.lab_bindings = {}  # active connection -> match on its caller's NameOwnerChanged
    manager.lab_joined = set()  # active connections that gave ws its address
    manager.lab_homes = set()   # the links' "Home" profiles (no address for ws)
    manager.lab_blocked = set()  # profiles deactivated on request: no autoconnect
    manager.lab_stopping = set()
    manager.lab_failures = []
    manager.lab_serial = 0
    manager.lab_caller = None
    manager.AddMethod(_nm.MANAGER_IFACE, 'AddAndActivateConnection2', 'a{sa{sv}}ooa{sv}', 'ooa{sv}',
                      add_and_activate_connection2)
    _with_sender(manager, _nm.MANAGER_IFACE, 'AddAndActivateConnection2')
    manager.AddMethod(_nm.MANAGER_IFACE, 'ActivateConnection', 'ooo', 'o', activate_connection)
    manager.AddMethod(_nm.MANAGER_IFACE, 'DeactivateConnection', 'o', '', deactivate_connection)
    manager.AddMethod(MOCK_IFACE, 'FailActivations', 'au', '', fail_activations)
    mock.AddMethod(MOCK_IFACE, 'AddLabLink', 'ss', '', add_lab_link)
