"""astroquery.alma's sign-in as a user who saved their password once: astroquery reads it
from the keyring, which here is kept in memory for the scripts that sign in."""
import keyring
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """Where astroquery finds a stored password."""
    priority = 1
    stored = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        self.stored.pop((service, username), None)


keyring.set_keyring(MemoryKeyring())


def save_password(host, user, password):
    """Stores `password` as astroquery looks it up for `user` at `host`."""
    keyring.set_password(f"astroquery:{host}", user, password)
