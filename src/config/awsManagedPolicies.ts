/**
 * The few AWS-managed policies fedsim ships, so configs can attach them by their real ARNs.
 * Documents are AWS's published ones (AdministratorAccess) or faithful subsets (the read-only ones).
 */
export const awsManagedPolicies: readonly {
  name: string;
  path: string;
  description: string;
  document: object;
}[] = [
  {
    name: "AdministratorAccess",
    path: "/",
    description: "Provides full access to AWS services and resources.",
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
  },
  {
    name: "IAMFullAccess",
    path: "/",
    description: "Provides full access to IAM via the AWS Management Console.",
    document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:*", Resource: "*" }] },
  },
  {
    name: "IAMReadOnlyAccess",
    path: "/",
    description: "Provides read only access to IAM via the AWS Management Console.",
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["iam:GenerateCredentialReport", "iam:Get*", "iam:List*", "iam:Simulate*"],
          Resource: "*",
        },
      ],
    },
  },
  {
    name: "AmazonAPIGatewayInvokeFullAccess",
    path: "/",
    description: "Provides full access to invoke APIs in Amazon API Gateway.",
    document: {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: ["execute-api:Invoke", "execute-api:ManageConnections"],
          Resource: "arn:aws:execute-api:*:*:*",
        },
      ],
    },
  },
];

export function awsManagedPolicyArn(name: string, path = "/"): string {
  return `arn:aws:iam::aws:policy${path}${name}`;
}
