import json
import sys

from django.core.management.base import BaseCommand, CommandError

from wagtail_support.models import Workflow
from wagtail_support.workflows.transfer import (
    WorkflowImportError,
    export_workflow,
    import_workflow,
    load_document,
)


class Command(BaseCommand):
    help = "Exports a workflow to JSON, or imports one from JSON (to version or copy workflows)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        export = commands.add_parser("export", help="Write a workflow as JSON.")
        export.add_argument("slug")
        export.add_argument("-o", "--output", help="File to write; standard output by default.")
        load = commands.add_parser("import", help="Create or update a workflow from JSON.")
        load.add_argument("file", help="A JSON file, or - for standard input.")
        load.add_argument(
            "--replace", action="store_true", help="Update the workflow with the same slug."
        )
        load.add_argument(
            "--create-groups", action="store_true", help="Create groups the site does not have."
        )

    def handle(self, *args, command, **options):
        if command == "export":
            return self.export(options["slug"], options.get("output"))
        return self.load(options["file"], options["replace"], options["create_groups"])

    def export(self, slug, output):
        workflow = Workflow.objects.filter(slug=slug).first()
        if workflow is None:
            raise CommandError(f"No workflow with the slug '{slug}'.")
        text = json.dumps(export_workflow(workflow), indent=2, ensure_ascii=False) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            self.stdout.write(text, ending="")

    def load(self, path, replace, create_groups):
        try:
            if path == "-":
                text = sys.stdin.read()
            else:
                with open(path, encoding="utf-8") as file:
                    text = file.read()
        except OSError as error:
            raise CommandError(f"Can't read {path}: {error.strerror}") from None
        try:
            workflow = import_workflow(
                load_document(text), replace=replace, create_groups=create_groups
            )
        except WorkflowImportError as error:
            raise CommandError(
                "The workflow was not imported:\n" + "\n".join(error.errors)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported workflow {workflow.name} ({workflow.slug})")
        )
