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
