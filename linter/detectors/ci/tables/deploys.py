"""Deployments (DEL001): the commands and packaged steps that change an environment.

``docker push`` (publishing an image) is not a deployment; ``kubectl apply --dry-run`` and
``helm template`` are not either.
"""

from __future__ import annotations

from typing import Callable, Mapping

from linter.detectors.ci.tables.shapes import CommandRule, ToolTable, ToolMatch, ref
from linter.detectors.ci.tables.words import always, any_run, arg, option_value, short, verb, verbs


def _with_command(field_name: str, *commands: str, default: str = "") -> Callable[[Mapping[str, object], str], ToolMatch]:
    def judge(args: Mapping[str, object], reference: str = "") -> ToolMatch:
        value = arg(args, field_name) or default
        return (f"{reference} {value}".strip(), True) if any(c in value.split() for c in commands) else None
    return judge


def _kubectl(argv: tuple[str, ...]) -> ToolMatch:
    if "--dry-run" in argv or any(a.startswith("--dry-run=") and a != "--dry-run=none" for a in argv):
        return None
    words = verbs(argv, frozenset({"-n", "--namespace", "-f", "--filename", "-k", "--kustomize", "--context",
                                    "-l", "--selector", "-o", "--output", "--kubeconfig", "--timeout"}))
    if words[:1] in (["apply"], ["replace"]) or words[:2] in (["set", "image"], ["rollout", "restart"]) \
            or (words[:1] == ["create"] and option_value(argv, "-f", "--filename") is not None):
        return (short(argv), True)
    return None


def _helm(argv: tuple[str, ...]) -> ToolMatch:
    if "--dry-run" in argv or any(a.startswith("--dry-run") for a in argv):
        return None
    words = verbs(argv, frozenset({"-n", "--namespace", "-f", "--values", "--set", "--version", "--kube-context",
                                    "--timeout", "--repo", "--set-string", "--set-file"}))
    return (short(argv), True) if words[:1] in (["upgrade"], ["install"]) else None


def _terraform(argv: tuple[str, ...]) -> ToolMatch:
    words = [w for w in verbs(argv) if not w.startswith("-chdir")]
    if words[:1] == ["apply"] or words[:2] in (["run-all", "apply"], ["apply-all"]):
        return (short(argv), True)
    return None


def _gcloud(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--project", "--region", "--image", "--source", "--platform", "--zone"}))
    return (short(argv), True) if "deploy" in words[:4] or words[:3] == ["run", "services", "update"] else None


def _aws(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"--region", "--profile", "--cluster", "--service", "--stack-name",
                                    "--function-name", "--template-file", "--s3-bucket", "--output"}))
    deploys = (["ecs", "update-service"], ["cloudformation", "deploy"], ["cloudformation", "update-stack"],
               ["lambda", "update-function-code"], ["deploy", "create-deployment"],
               ["apprunner", "start-deployment"], ["elasticbeanstalk", "update-environment"])
    return (short(argv), True) if words[:2] in [list(d) for d in deploys] else None


def _az(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv, frozenset({"-g", "--resource-group", "-n", "--name", "--src-path", "--image",
                                    "--template-file", "-f", "--slot"}))
    if words[:2] in (["webapp", "deploy"], ["containerapp", "update"], ["functionapp", "deploy"],
                     ["staticwebapp", "deploy"]) or words[:3] in (["webapp", "deployment", "source"],
                                                                  ["deployment", "group", "create"],
                                                                  ["functionapp", "deployment", "source"]):
        return (short(argv), True)
    return None


def _vercel(argv: tuple[str, ...]) -> ToolMatch:
    return (short(argv), True) if "--prod" in argv or "--production" in argv else None


def _netlify(argv: tuple[str, ...]) -> ToolMatch:
    words = verbs(argv)
    return (short(argv), True) if words[:1] == ["deploy"] and ("--prod" in argv or "--prodIfUnlocked" in argv) else None


DEPLOYS = ToolTable(
    category="deploy",
    references=(
        ref("uses", r"aws-actions/(?:amazon-ecs-deploy-task-definition|aws-cloudformation-github-deploy|"
                     r"amazon-ecs-deploy-express-service)", "AWS deploy action", always("AWS deploy action")),
        ref("uses", r"azure/(?:webapps-deploy|functions-action|k8s-deploy|arm-deploy|container-apps-deploy-action|"
                     r"static-web-apps-deploy|aci-deploy)", "Azure deploy action", always("Azure deploy action")),
        ref("uses", r"google-github-actions/(?:deploy-cloudrun|deploy-appengine|deploy-cloud-functions|deploy-gke)",
             "Google Cloud deploy action", always("Google Cloud deploy action")),
        ref("uses", r"actions/deploy-pages|peaceiris/actions-gh-pages|jamesives/github-pages-deploy-action",
             "GitHub Pages", always("publishes to GitHub Pages")),
        ref("uses", r"amondnet/vercel-action", "Vercel", always("Vercel deploy action")),
        ref("uses", r"cloudflare/wrangler-action|cloudflare/pages-action", "Cloudflare", always("Cloudflare deploy action")),
        ref("uses", r"akhileshns/heroku-deploy", "Heroku", always("Heroku deploy action")),
        ref("uses", r"serverless/github-action", "Serverless", _with_command("args", "deploy")),
        ref("uses", r"superfly/flyctl-actions(?:/[\w.-]+)?", "Fly.io", _with_command("args", "deploy")),
        ref("uses", r"pulumi/actions", "Pulumi", _with_command("command", "up", "update")),
        ref("uses", r"hashicorp/tfc-workflows-github/actions/apply-run", "Terraform Cloud", always("Terraform Cloud apply")),
        ref("uses", r"dflook/terraform-apply", "terraform apply", always("terraform apply action")),
        ref("task", r"azurewebapp|azurermwebappdeployment|azurefunctionapp|kubernetesmanifest|helmdeploy|"
                     r"azureresourcemanagertemplatedeployment|azurecontainerapps|kubernetes",
             "Azure deploy task", always("deploy task (Azure Pipelines)")),
        ref("pipe", r"atlassian/(?:aws-ecs-deploy|aws-elasticbeanstalk-deploy|aws-lambda-deploy|aws-code-deploy|"
                     r"azure-web-apps-deploy|google-cloud-run-deploy|google-app-engine-deploy|heroku-deploy|"
                     r"aws-cloudformation-deploy|aws-sam-deploy|azure-aks-deploy|google-gke-kubectl-run|"
                     r"kubectl-run|firebase-deploy|aws-s3-deploy|ssh-run)",
             "Bitbucket deploy pipe", always("deploy pipe")),
        ref("orb", r"circleci/(?:aws-ecs|aws-ecr|kubernetes|helm|gcp-cloud-run|heroku|aws-cli|azure-cli|serverless-framework) "
                    r"(?:deploy[\w-]*|update-service|install-helm-chart|upgrade-helm-chart|deploy-service-update|"
                    r"create-or-update-resource|push-image-and-deploy)",
             "CircleCI deploy orb", always("deploy orb command")),
        ref("include", r"template:(?:jobs/)?deploy(?:\.latest)?\.gitlab-ci\.yml", "GitLab Auto Deploy",
             always("Auto DevOps Deploy job")),
    ),
    commands=(
        CommandRule(frozenset({"kubectl", "oc"}), "kubectl", _kubectl),
        CommandRule(frozenset({"helm"}), "helm", _helm),
        CommandRule(frozenset({"helmfile"}), "helmfile", verb("apply", "sync")),
        CommandRule(frozenset({"terraform", "tofu", "terragrunt"}), "terraform apply", _terraform),
        CommandRule(frozenset({"pulumi"}), "pulumi up", verb("up", "update")),
        CommandRule(frozenset({"serverless", "sls", "sst"}), "serverless deploy", verb("deploy")),
        CommandRule(frozenset({"sam"}), "sam deploy", verb("deploy", "sync")),
        CommandRule(frozenset({"cdk", "cdktf"}), "cdk deploy", verb("deploy")),
        CommandRule(frozenset({"flyctl", "fly"}), "flyctl deploy", verb("deploy")),
        CommandRule(frozenset({"vercel"}), "vercel --prod", _vercel),
        CommandRule(frozenset({"netlify"}), "netlify deploy --prod", _netlify),
        CommandRule(frozenset({"gcloud"}), "gcloud deploy", _gcloud),
        CommandRule(frozenset({"aws"}), "aws deploy", _aws),
        CommandRule(frozenset({"az"}), "az deploy", _az),
        # Azure Developer CLI: provision (infrastructure), deploy (code) or both (up)
        CommandRule(frozenset({"azd"}), "azd deploy", verb("deploy", "up", "provision")),
        CommandRule(frozenset({"eb", "copilot", "kamal", "firebase", "wrangler", "railway", "cap", "dpl", "fastapi"}),
                    "platform deploy", verb("deploy", "up", "publish", "svc deploy", "production deploy",
                                             "staging deploy")),
        CommandRule(frozenset({"argocd"}), "argocd app sync", verb("app sync")),
        CommandRule(frozenset({"skaffold"}), "skaffold", verb("run", "deploy")),
        CommandRule(frozenset({"gh-pages"}), "gh-pages", any_run()),
        CommandRule(frozenset({"docker"}), "docker stack deploy", verb("stack deploy")),
        CommandRule(frozenset({"heroku"}), "heroku", verb("container:release", "releases:promote")),
    ),
)
