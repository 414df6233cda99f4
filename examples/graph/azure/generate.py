#!/usr/bin/env python3
"""Generate the Azure privilege-escalation example (one Entra ID tenant, two subscriptions).

    python3 examples/graph/azure/generate.py      # from the repository root

Writes, next to this script, in the shapes the Azure CLI prints (`-o json`):

    account.json            az account list
    sp-list.json            az ad sp list --all
    role-assignments.json   az role assignment list --all
    role-definitions.json   az role definition list --custom-role-only true
    expected.json           what the graph must find (see README.md)

Standard library only, deterministic (ids are UUIDv5 of names). Each technique is a small
scenario (a service principal `esc-...`), next to look-alikes (`safe-...`).
"""

import json
import os
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
NS = uuid.UUID("6f1c2e3d-4b5a-4c6d-8e7f-0a1b2c3d4e5f")
TENANT = "5d2c9a4e-1b3f-4c6d-8e7f-9a0b1c2d3e4f"
PROD = "0b8f3c2a-6d4e-4f1a-9c7b-2e5d8a1f4c60"
DEV = "9e1d4b7c-3a2f-4e8d-b6c5-1f0a2d3e4b71"
ADMIN = "4c3b2a19-8d7e-4f6a-9b5c-0d1e2f3a4b5c"   # the person who made the assignments

BUILT_IN = {
    "Owner": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
}


def gid(kind, name):
    return str(uuid.uuid5(NS, f"{kind}:{name}"))


def object_id(name):
    return gid("sp", name)


def principal(name):
    return f"azure:servicePrincipal:{object_id(name)}"


CUSTOM = {
    "graph-access-granter": {
        "actions": ["*/read", "Microsoft.Authorization/roleAssignments/write"], "notActions": [],
        "description": "Grants access for the platform team's automation",
    },
    "graph-everything": {"actions": ["*"], "notActions": [], "description": "Everything, written out as a custom role"},
    "graph-assignment-reader": {
        "actions": ["Microsoft.Authorization/roleAssignments/*"], "notActions": ["Microsoft.Authorization/roleAssignments/write"],
        "description": "Reads and removes role assignments; cannot create them",
    },
}


def role_definition(name):
    return {
        "assignableScopes": [f"/subscriptions/{PROD}", f"/subscriptions/{DEV}"],
        "createdBy": ADMIN, "createdOn": "2025-01-10T09:00:00Z", "description": CUSTOM[name]["description"],
        "id": f"/subscriptions/{PROD}/providers/Microsoft.Authorization/roleDefinitions/{gid('role', name)}",
        "name": gid("role", name),
        "permissions": [{"actions": CUSTOM[name]["actions"], "condition": None, "conditionVersion": None, "dataActions": [],
                         "notActions": CUSTOM[name]["notActions"], "notDataActions": []}],
        "roleName": name, "roleType": "CustomRole", "type": "Microsoft.Authorization/roleDefinitions",
        "updatedBy": ADMIN, "updatedOn": "2025-01-10T09:00:00Z",
    }


CONSTRAINED = ("((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
               "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d}))")

# name, role, scope, condition
SCENARIOS = [
    ("esc-owner", "Owner", f"/subscriptions/{PROD}", None),
    ("esc-owner-rg", "Owner", f"/subscriptions/{PROD.upper()}/resourcegroups/RG-Payments", None),
    ("esc-owner-mg", "Owner", "/providers/Microsoft.Management/managementGroups/graph-platform", None),
    ("esc-uaa", "User Access Administrator", f"/subscriptions/{PROD}", None),
    ("esc-rbac-admin", "Role Based Access Control Administrator", f"/subscriptions/{DEV}", None),
    ("esc-custom-assigner", "graph-access-granter", f"/subscriptions/{DEV}", None),
    ("esc-custom-star", "graph-everything", f"/subscriptions/{PROD}/resourceGroups/rg-shared", None),
    ("cond-rbac-admin", "Role Based Access Control Administrator", f"/subscriptions/{PROD}", CONSTRAINED),
    ("safe-contributor", "Contributor", f"/subscriptions/{PROD}", None),
    ("safe-notactions", "graph-assignment-reader", f"/subscriptions/{PROD}", None),
    ("safe-reader", "Reader", f"/subscriptions/{PROD}", None),
    ("safe-uaa-resource", "User Access Administrator",
     f"/subscriptions/{PROD}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/graphdata01", None),
]


def service_principal(name):
    app = gid("app", name)
    return {
        "accountEnabled": True, "alternativeNames": [], "appDisplayName": name, "appId": app, "appOwnerOrganizationId": TENANT,
        "appRoles": [], "createdDateTime": None, "deletedDateTime": None, "description": None, "displayName": name,
        "id": object_id(name), "keyCredentials": [], "notes": None, "passwordCredentials": [], "servicePrincipalNames": [app],
        "servicePrincipalType": "Application", "signInAudience": "AzureADMyOrg", "tags": ["owner:platform-team@graph.example"],
    }


def role_definition_id(role, scope):
    guid = BUILT_IN.get(role) or gid("role", role)
    prefix = f"/subscriptions/{PROD}" if scope.lower().startswith("/subscriptions/") else ""
    return f"{prefix}/providers/Microsoft.Authorization/roleDefinitions/{guid}"


def assignment(name, role, scope, condition):
    aid = gid("assignment", name)
    return {
        "condition": condition, "conditionVersion": "2.0" if condition else None, "createdBy": ADMIN, "createdOn": "2025-06-01T10:00:00Z",
        "delegatedManagedIdentityResourceId": None, "description": None,
        "id": f"{scope}/providers/Microsoft.Authorization/roleAssignments/{aid}", "name": aid,
        "principalId": object_id(name), "principalName": gid("app", name), "principalType": "ServicePrincipal",
        "roleDefinitionId": role_definition_id(role, scope), "roleDefinitionName": role, "scope": scope,
        "type": "Microsoft.Authorization/roleAssignments", "updatedBy": ADMIN, "updatedOn": "2025-06-01T10:00:00Z",
    }


def account(subscription, name, default):
    return {"cloudName": "AzureCloud", "homeTenantId": TENANT, "id": subscription, "isDefault": default, "managedByTenants": [],
            "name": name, "state": "Enabled", "tenantId": TENANT, "user": {"name": "audit@graph.example", "type": "user"}}


EXPECTED = {
    "vulnerable": [
        {"principal": principal("esc-owner"), "rule": "azure.owner", "reachesAdmin": True},
        {"principal": principal("esc-owner-rg"), "rule": "azure.owner", "reachesAdmin": True},
        {"principal": principal("esc-owner-mg"), "rule": "azure.owner", "reachesAdmin": True},
        {"principal": principal("esc-uaa"), "rule": "azure.user-access-admin", "reachesAdmin": True},
        {"principal": principal("esc-rbac-admin"), "rule": "azure.user-access-admin", "reachesAdmin": True},
        {"principal": principal("esc-custom-assigner"), "rule": "azure.role-assignment-write", "reachesAdmin": True},
        {"principal": principal("esc-custom-star"), "rule": "azure.owner", "reachesAdmin": True},
        {"principal": principal("cond-rbac-admin"), "rule": "azure.user-access-admin", "reachesAdmin": True},
    ],
    "safe": [
        {"principal": principal("safe-contributor"), "notRule": "azure.owner"},
        {"principal": principal("safe-contributor"), "notRule": "azure.user-access-admin"},
        {"principal": principal("safe-notactions"), "notRule": "azure.role-assignment-write"},
        {"principal": principal("safe-reader"), "notRule": "azure.owner"},
        {"principal": principal("safe-uaa-resource"), "notRule": "azure.user-access-admin"},
    ],
}


def write(path, value):
    with open(os.path.join(HERE, path), "w") as f:
        json.dump(value, f, indent=2, sort_keys=True)
        f.write("\n")


def main():
    write("account.json", [account(PROD, "graph-prod", True), account(DEV, "graph-dev", False)])
    write("sp-list.json", [service_principal(name) for name, _, _, _ in SCENARIOS])
    write("role-assignments.json", [assignment(*s) for s in SCENARIOS])
    write("role-definitions.json", [role_definition(name) for name in CUSTOM])
    write("expected.json", EXPECTED)
    names = {principal(s[0]) for s in SCENARIOS}
    for entry in EXPECTED["vulnerable"] + EXPECTED["safe"]:
        assert entry["principal"] in names, entry


if __name__ == "__main__":
    main()
