import ArgumentParser
import GamedayModel

/// `gameday schema`: prints the JSON Schema of the scenario format for editors.
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema (draft 2020-12) of the scenario format, for editors.",
        discussion: """
        Save it in your repository (a tracked folder: .gameday/ holds the local drill store and is \
        git-ignored) and point yaml-language-server at it:
          mkdir -p schema && gameday schema > schema/scenario.schema.json
        then, for example, start each scenario in scenarios/ with the line
          # yaml-language-server: $schema=../schema/scenario.schema.json
        (docs/editor-setup.md shows VS Code, Neovim and Helix set-ups.)
        """
    )

    func run() {
        print(ScenarioSchema.json.pretty)
    }
}
