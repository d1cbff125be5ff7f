from alumni.models.companies import AlumniCompany, CheckIn, CompanyStatus, DeclarationFrequency, Founder, LegalForm
from alumni.models.declarations import DeclarationReminder, RevenueDeclaration
from alumni.models.directory import (
    ContactPreference,
    ContactRequest,
    DirectoryMembership,
    DirectoryProfile,
    DirectorySearch,
)

__all__ = [
    "AlumniCompany", "CheckIn", "CompanyStatus", "DeclarationReminder", "ContactPreference", "ContactRequest", "DeclarationFrequency",
    "DirectoryMembership", "DirectoryProfile", "DirectorySearch", "Founder", "LegalForm", "RevenueDeclaration",
]
