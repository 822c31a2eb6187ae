"""The platform's apps as separate OS processes: the launcher's distributed mode (one definition)."""

from hues_launcher.distributed import HUES, PlatformProcesses, provision_service_database

__all__ = ["HUES", "PlatformProcesses", "provision_service_database"]
