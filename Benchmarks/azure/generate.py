#!/usr/bin/env python3
"""Writes a large Azure CLI export (and SaaS Graph consents) for measuring connector speed.

    python3 Benchmarks/azure/generate.py /tmp/azure-bench 20000
    /usr/bin/time -v .build-release/debug/roster import azure /tmp/azure-bench/azure --db /tmp/b.db
"""
import json, os, sys, uuid

out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20000
T = "3f2a1c9e-5b7d-4e8a-9c1f-2d6b8a4e7f10"
def g(s): return str(uuid.uuid5(uuid.NAMESPACE_URL, s))
os.makedirs(out + "/azure", exist_ok=True)
os.makedirs(out + "/saas", exist_ok=True)
json.dump({"cloudName": "AzureCloud", "id": g("sub"), "name": "bench", "tenantId": T, "isDefault": True}, open(out + "/azure/account.json", "w"))
sps, ras, grants, gsps = [], [], [], []
for i in range(count):
    app, obj = g(f"app{i}"), g(f"sp{i}")
    sps.append({"accountEnabled": True, "addIns": [], "alternativeNames": [], "appDescription": None, "appDisplayName": f"svc-{i}", "appId": app,
                "appOwnerOrganizationId": T, "appRoleAssignmentRequired": False, "appRoles": [], "createdDateTime": "2024-01-01T00:00:00Z",
                "displayName": f"svc-{i}", "id": obj, "keyCredentials": [], "notes": "Owner: team-%d" % (i % 50),
                "passwordCredentials": [{"customKeyIdentifier": None, "displayName": "s", "endDateTime": "2026-06-01T00:00:00Z", "hint": "abc",
                                         "keyId": g(f"k{i}"), "secretText": None, "startDateTime": "2025-06-01T00:00:00Z"}],
                "servicePrincipalNames": [app], "servicePrincipalType": "Application", "signInAudience": "AzureADMyOrg", "tags": ["env:prod"],
                "info": {"logoUrl": None, "marketingUrl": None, "privacyStatementUrl": None, "supportUrl": None, "termsOfServiceUrl": None},
                "oauth2PermissionScopes": [], "replyUrls": [], "verifiedPublisher": {"addedDateTime": None, "displayName": None, "verifiedPublisherId": None}})
    for role, gid in (("Reader", "acdd72a7-3385-48ef-bd42-f606fba81ae7"), ("Contributor", "b24988ac-6180-42a0-ab88-20f7382dd24c")):
        scope = f"/subscriptions/{g('sub')}/resourceGroups/rg-{i % 300}"
        ras.append({"condition": None, "conditionVersion": None, "createdOn": "2025-01-01T00:00:00Z", "id": scope + "/providers/Microsoft.Authorization/roleAssignments/" + g(f"ra{i}{role}"),
                    "name": g(f"ra{i}{role}"), "principalId": obj, "principalName": app, "principalType": "ServicePrincipal",
                    "roleDefinitionId": f"/subscriptions/{g('sub')}/providers/Microsoft.Authorization/roleDefinitions/{gid}", "roleDefinitionName": role,
                    "scope": scope, "type": "Microsoft.Authorization/roleAssignments", "updatedOn": "2025-01-01T00:00:00Z"})
    gsps.append({"id": obj, "appId": app, "displayName": f"svc-{i}", "appOwnerOrganizationId": g(f"vendor{i % 97}"), "servicePrincipalType": "Application", "appRoles": []})
    for u in range(3):
        grants.append({"clientId": obj, "consentType": "Principal", "id": g(f"gr{i}-{u}"), "principalId": g(f"user{(i + u) % 5000}"),
                       "resourceId": g("graph"), "scope": "openid profile User.Read Mail.Read Files.ReadWrite.All"})
json.dump(sps, open(out + "/azure/sp-list.json", "w"), indent=2)
json.dump(ras, open(out + "/azure/role-assignments.json", "w"), indent=2)
json.dump({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization", "value": [{"id": T}]}, open(out + "/saas/org.json", "w"))
json.dump({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals", "value": gsps}, open(out + "/saas/sps.json", "w"), indent=2)
json.dump({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants", "value": grants}, open(out + "/saas/grants.json", "w"), indent=2)

# Google Workspace: one tokens.list per user (the way the Admin SDK is exported), and a users.list.
os.makedirs(out + "/google/tokens", exist_ok=True)
scopes = ["openid", "https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/drive",
          "https://www.googleapis.com/auth/calendar.events", "https://mail.google.com/"]
users = []
for u in range(count // 4):
    email = f"user{u}@bench.example"
    users.append({"kind": "admin#directory#user", "id": str(10**20 + u), "primaryEmail": email, "suspended": u % 50 == 0,
                  "creationTime": "2024-01-01T00:00:00.000Z", "lastLoginTime": "2025-12-01T00:00:00.000Z"})
    items = [{"kind": "admin#directory#token", "etag": f"\"{u}-{a}\"", "clientId": f"{a:012d}-bench{a}.apps.googleusercontent.com",
              "displayText": f"App {a}", "scopes": scopes[: 2 + a % 4], "userKey": str(10**20 + u), "anonymous": False, "nativeApp": False}
             for a in range(u % 7, u % 7 + 8)]
    json.dump({"kind": "admin#directory#tokenList", "etag": f"\"t{u}\"", "items": items}, open(f"{out}/google/tokens/{email}.json", "w"), indent=2)
json.dump({"kind": "admin#directory#users", "users": users}, open(out + "/google/users.json", "w"), indent=2)
